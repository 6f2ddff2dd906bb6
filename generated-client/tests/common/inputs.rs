//! Request inputs built from the specs' field examples, shared by the tests that send them
//! (to wiremock in `feishu_ops`/`authing_ops`, to Prism in `prism`).

use generated_client::authing::management as m;
use generated_client::feishu::acs_v1::{DeviceExternal, OpeningTimeExternal, OpeningTimePeriodExternal, OpeningTimeValidDayExternal, Rule, UserExternal, UserExternalUserType};
use generated_client::runtime::Secret;
use serde_json::json;

/// The spec's example Feishu user ID (path parameter of user/get, user/patch, user_face/*).
pub const FEISHU_USER: &str = "ou_7dab8a3d3cdcc9da365777c7ad535d62";

/// A Feishu `UserExternal` from the field examples of `user`.
pub fn feishu_user_external(user_type: UserExternalUserType) -> UserExternal {
    UserExternal {
        user_type: Some(user_type),
        user_id: Some(FEISHU_USER.to_owned()),
        user_name: Some("张三".to_owned()),
        phone_num: Some("1357890001".to_owned()),
        department_id: Some("od-f7d44ab733f7602f5cc5194735fd9aaf".to_owned()),
    }
}

/// A rule from the field examples of `rule` and the types it holds; its visitors have
/// `visitor_type`.
pub fn feishu_rule(visitor_type: UserExternalUserType) -> Rule {
    Rule {
        id: Some("34252345234523".to_owned()),
        name: Some("南门".to_owned()),
        devices: Some(vec![DeviceExternal { id: Some("534545234523452345".to_owned()), name: Some("北门".to_owned()) }]),
        user_count: Some("3".to_owned()),
        users: Some(vec![feishu_user_external(UserExternalUserType::Employee)]),
        visitor_count: Some("3".to_owned()),
        visitors: Some(vec![feishu_user_external(visitor_type)]),
        remind_face: Some(false),
        opening_time: Some(OpeningTimeExternal {
            valid_day: Some(OpeningTimeValidDayExternal { start_day: Some(1699031483), end_day: Some(1699931483) }),
            weekdays: Some(vec![1, 2, 3]),
            day_times: Some(vec![OpeningTimePeriodExternal { start_hhmm: Some(1200), end_hhmm: Some(1400) }]),
        }),
        is_temp: Some(false),
    }
}

const PHOTO: &str = "https://files.authing.co/authing-console/default-user-avatar.png";
const BROWSER: &str =
    "Mozilla/5.0 (Linux; Android 10; V2001A; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/87.0.4280.141 Mobile Safari/537.36 VivoBrowser/10.2.10.0";

/// Every input of Authing's create-user but `options`, from the spec's request example.
pub fn authing_example_user(r: m::CreateUserRequest) -> m::CreateUserRequest {
    r.status(m::UserStatus::Activated)
        .email("test@example.com")
        .phone("188xxxx8888")
        .phone_country_code("+86")
        .username("bob")
        .external_id("10010")
        .name("张三")
        .nickname("张三")
        .photo(PHOTO)
        .gender(m::Gender::M)
        .email_verified(true)
        .phone_verified(true)
        .birthdate("2022-06-03")
        .country("CN")
        .province("BJ")
        .city("BJ")
        .address("北京朝阳")
        .street_address("北京朝阳区 xxx 街道")
        .postal_code("438100")
        .company("steamory")
        .browser(BROWSER)
        .device("iOS")
        .given_name("三")
        .family_name("张")
        .middle_name("James")
        .profile("alice")
        .preferred_username("alice")
        .website("https://my-website.com")
        .zoneinfo("GMT-08:00")
        .locale("af")
        .formatted("132, My Street, Kingston, New York 12401.")
        .region("Xinjiang Uyghur Autonomous Region")
        .password("passw0rd")
        .salt("dgisaeieruur")
        .tenant_ids(vec!["63f867961cxxxx41e7ccb582".into(), "63bea7828f4xxxxbfa80df93".into()])
        .otp(m::CreateUserOtpDto { secret: Secret::new("HZ2F6J3AGNAVSOTV"), recovery_code: Some(Secret::new("b471-8ec0-874a-087f-bccb-cd54")) })
        .department_ids(vec!["624d930c3xxxx5c08dd4986e".into(), "624d93102xxxx012f33cd2fe".into()])
        .custom_data(json!({"school": "北京大学", "age": 22}))
        .metadata_source(json!({"school": "北京大学", "age": 22}))
        .identities(vec![authing_wechat_identity()])
        .identity_number("420421xxxxxxxx1234")
}

/// The example's WeChat identity.
pub fn authing_wechat_identity() -> m::CreateIdentityDto {
    m::CreateIdentityDto {
        ext_idp_id: "6076bacxxxxxxxxd80d993b5".into(),
        provider: m::IdentityProvider::Wechat,
        r#type: "openid".into(),
        user_id_in_idp: "oj7Nq05R-RRaqak0_YlMLnnIwsvg".into(),
        user_info_in_idp: json!({"openid": "oj7Nq05R-RRaqak0_YlMLnnIwsvg"}),
        access_token: None,
        refresh_token: None,
        origin_conn_ids: vec!["605492ac41xxxxe0362f0707".into()],
    }
}
