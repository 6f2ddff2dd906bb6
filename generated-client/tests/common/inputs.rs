//! Request inputs built from the specs' field examples, shared by the tests that send them
//! (to wiremock in `feishu_ops`/`authing_ops`, to Prism in `prism`).

use super::management as m;
use generated_client::feishu::acs_v1::{DeviceExternal, OpeningTimeExternal, OpeningTimePeriodExternal, OpeningTimeValidDayExternal, Rule, UserExternal, UserExternalUserType};
use serde_json::json;

/// The spec's example Feishu user ID (path parameter of user/get, user/patch, user_face/*).
pub const FEISHU_USER: &str = "ou_7dab8a3d3cdcc9da365777c7ad535d62";

/// A Feishu `UserExternal` from the field examples of `user`.
pub fn feishu_user_external(user_type: UserExternalUserType) -> UserExternal {
    UserExternal::default().user_type(user_type).user_id(FEISHU_USER).user_name("张三").phone_num("1357890001").department_id("od-f7d44ab733f7602f5cc5194735fd9aaf")
}

/// A rule from the field examples of `rule` and the types it holds; its visitors have
/// `visitor_type`.
pub fn feishu_rule(visitor_type: UserExternalUserType) -> Rule {
    let opening_time = OpeningTimeExternal::default()
        .valid_day(OpeningTimeValidDayExternal::default().start_day(1699031483).end_day(1699931483))
        .weekdays(vec![1, 2, 3])
        .day_times(vec![OpeningTimePeriodExternal::default().start_hhmm(1200).end_hhmm(1400)]);
    Rule::default()
        .id("34252345234523")
        .name("南门")
        .devices(vec![DeviceExternal::default().id("534545234523452345").name("北门")])
        .user_count("3")
        .users(vec![feishu_user_external(UserExternalUserType::Employee)])
        .visitor_count("3")
        .visitors(vec![feishu_user_external(visitor_type)])
        .remind_face(false)
        .opening_time(opening_time)
        .is_temp(false)
}

const PHOTO: &str = "https://files.authing.co/authing-console/default-user-avatar.png";
pub const BROWSER: &str =
    "Mozilla/5.0 (Linux; Android 10; V2001A; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/87.0.4280.141 Mobile Safari/537.36 VivoBrowser/10.2.10.0";

/// Applies `f` within a chain of builder calls.
pub trait With: Sized {
    fn with(self, f: impl FnOnce(Self) -> Self) -> Self {
        f(self)
    }
}

impl<T> With for T {}

/// The example user's profile fields (company … region), which Authing's create and update
/// inputs share: `.with(|b| example_profile!(b))` on any of them.
macro_rules! example_profile {
    ($builder:expr) => {
        $builder
            .company("steamory")
            .browser($crate::common::inputs::BROWSER)
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
    };
}
#[allow(unused_imports)] // Used by some of the test binaries that include `common`.
pub(crate) use example_profile;

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
        .with(|b| example_profile!(b))
        .password("passw0rd")
        .salt("dgisaeieruur")
        .tenant_ids(vec!["63f867961cxxxx41e7ccb582".into(), "63bea7828f4xxxxbfa80df93".into()])
        .otp(m::CreateUserOtpDto::new("HZ2F6J3AGNAVSOTV").recovery_code("b471-8ec0-874a-087f-bccb-cd54"))
        .department_ids(vec!["624d930c3xxxx5c08dd4986e".into(), "624d93102xxxx012f33cd2fe".into()])
        .custom_data(json!({"school": "北京大学", "age": 22}))
        .metadata_source(json!({"school": "北京大学", "age": 22}))
        .identities(vec![authing_wechat_identity()])
        .identity_number("420421xxxxxxxx1234")
}

/// The example's WeChat identity.
pub fn authing_wechat_identity() -> m::CreateIdentityDto {
    m::CreateIdentityDto::new(m::CreateIdentityDtoRequired {
        ext_idp_id: "6076bacxxxxxxxxd80d993b5".into(),
        provider: m::IdentityProvider::Wechat,
        r#type: "openid".into(),
        user_id_in_idp: "oj7Nq05R-RRaqak0_YlMLnnIwsvg".into(),
        user_info_in_idp: json!({"openid": "oj7Nq05R-RRaqak0_YlMLnnIwsvg"}),
        origin_conn_ids: vec!["605492ac41xxxxe0362f0707".into()],
    })
}
