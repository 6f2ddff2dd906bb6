//! The conventions inside a description cell: `示例值：…`, `可选值有：- \`a\`: …`, `默认值：…`,
//! `数据校验规则：- 长度范围：\`0\` ～ \`50\``, Authing's `枚举值:a,b` and `- Value: meaning` lists.

use codegen::spec::Limits;

/// A description cell, taken apart.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Described {
    /// The prose, without the parts below.
    pub text: String,
    pub example: Option<String>,
    pub default: Option<String>,
    /// Allowed values and what each means.
    pub values: Vec<(String, Option<String>)>,
    pub limits: Limits,
    /// `嵌套类型：IdentityDto` (Authing).
    pub nested_type: Option<String>,
}

const MARKERS: &[&str] = &[
    "示例值：",
    "示例值:",
    "可选值有：",
    "可选值有:",
    "可选值为：",
    "可选值为:",
    "可选值：",
    "可选值:",
    "默认值：",
    "默认值:",
    "数据校验规则：",
    "数据校验规则:",
    "枚举值：",
    "枚举值:",
    "嵌套类型：",
    "嵌套类型:",
    "当值为",
];

pub fn describe(cell: &str) -> Described {
    describe_cell(cell, true)
}

/// A Feishu description cell: its values always follow a marker (`可选值有：`, `枚举值：`), so a
/// bare `- a: …` list is prose (`查询参数如下：- object_api_name：…`), not values.
pub fn describe_feishu(cell: &str) -> Described {
    describe_cell(cell, false)
}

fn describe_cell(cell: &str, bare_lists: bool) -> Described {
    let mut out = Described::default();
    // Where each marker starts, in order.
    let mut cuts: Vec<(usize, &str)> = Vec::new();
    for m in MARKERS {
        let mut from = 0;
        while let Some(i) = cell[from..].find(m) {
            cuts.push((from + i, m));
            from += i + m.len();
        }
    }
    cuts.sort();
    cuts.dedup_by_key(|c| c.0);
    let first = cuts.first().map_or(cell.len(), |c| c.0);
    let mut text = cell[..first].trim().to_owned();
    for (k, (at, marker)) in cuts.iter().enumerate() {
        let mut end = cuts.get(k + 1).map_or(cell.len(), |c| c.0);
        // A value list may hold an item's own `示例值：…` line: the list runs on past it.
        if marker.starts_with("可选值") {
            end = cuts[k + 1..].iter().find(|(_, m)| !m.starts_with("示例值")).map_or(cell.len(), |c| c.0);
        }
        if marker.starts_with("示例值") && cuts[..k].iter().any(|(_, m)| m.starts_with("可选值")) {
            // Inside the value list (see above): an item's example, not the field's.
            let inside = cuts[..k].iter().rev().find(|(_, m)| !m.starts_with("示例值")).is_some_and(|(_, m)| m.starts_with("可选值"));
            if inside {
                continue;
            }
        }
        let body = cell[at + marker.len()..end].trim();
        match marker.trim_end_matches([':', '：']) {
            "示例值" => out.example = Some(unquote(body.lines().next().unwrap_or(body).trim().trim_end_matches('。'))).filter(|e| !e.is_empty()),
            "默认值" => out.default = Some(unquote(first_word(body))).filter(|d| !d.is_empty()),
            "可选值有" | "可选值为" | "可选值" => out.values = list_items(body),
            // Feishu writes `枚举值：` before a `- value: meaning` list too; Authing before `a,b`.
            "枚举值" if body.trim_start().starts_with("- ") || body.contains("\n- ") => out.values = list_items(body),
            "枚举值" => {
                let line = body.lines().next().unwrap_or_default();
                out.values = line.trim_end_matches(['。', '.']).split([',', '，']).map(|v| (unquote(v.trim()), None)).filter(|(v, _)| !v.is_empty()).collect();
            }
            "数据校验规则" => out.limits = limits(body),
            "嵌套类型" => out.nested_type = Some(first_word(body).trim_end_matches(['。', '.']).to_owned()).filter(|t| !t.is_empty()),
            _ => {} // `当值为 …，字段权限要求：…` belongs to the field scopes of the page.
        }
    }
    // Authing lists meanings as `- Value: meaning` lines without a marker.
    if bare_lists
        && out.values.is_empty()
        && let Some(i) = text.find("\n- ")
    {
        let items = list_items(&text[i..]);
        if items.len() >= 2 && items.iter().all(|(v, _)| is_token(v)) {
            out.values = items;
            text = text[..i].trim().trim_end_matches(['：', ':']).to_owned();
        }
    }
    // Authing's `默认值为 \`user_id\`` inside prose.
    if out.default.is_none()
        && let Some(i) = text.find("默认值为")
    {
        let rest = &text[i + "默认值为".len()..];
        let d = unquote(first_word(rest.trim_start_matches([' ', '：', ':'])).trim_end_matches(['，', ',', '。']));
        if !d.is_empty() {
            out.default = Some(d);
        }
    }
    out.text = text.trim().trim_end_matches(['，', ',']).trim().to_owned();
    out
}

/// `- \`a\`: meaning - \`b\`: meaning` (one line, Feishu) or `\n- a: meaning` lines (Authing).
fn list_items(body: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut starts: Vec<usize> = Vec::new();
    let bytes = body.as_bytes();
    for (i, _) in body.match_indices("- ") {
        let boundary = i == 0 || matches!(bytes[i - 1], b' ' | b'\n');
        if boundary {
            starts.push(i);
        }
    }
    // Where some values are in code spans, the items that are not are prose (`- 注意：…`).
    let coded = starts.iter().any(|&s| body[s + 2..].trim_start().starts_with('`'));
    for (k, &s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(body.len());
        let item = body[s + 2..end].trim();
        if coded && !item.starts_with('`') {
            continue;
        }
        let (value, meaning) = match item.strip_prefix('`') {
            Some(rest) => match rest.find('`') {
                Some(close) => (rest[..close].to_owned(), rest[close + 1..].trim_start_matches([':', '：', ' ']).trim()),
                None => continue,
            },
            None => match item.find([':', '：']) {
                Some(colon) => (item[..colon].trim().to_owned(), item[colon..].trim_start_matches([':', '：', ' ']).trim()),
                None => (item.to_owned(), ""),
            },
        };
        // A list item whose "value" is prose is not an allowed value; outside a code span a
        // value is a token (`celsius`, `Activated`, `1`).
        if value.is_empty() || value.contains(char::is_whitespace) || (!coded && !is_token(&value)) {
            continue;
        }
        let meaning = meaning.trim_end_matches(['，', ',']).trim();
        out.push((value, (!meaning.is_empty()).then(|| meaning.to_owned())));
    }
    out
}

/// `长度范围：\`0\` ～ \`50\``, `取值范围：\`1\` ～ \`100\``, `最大长度：\`64\` 字符`, `最小长度：…`.
fn limits(body: &str) -> Limits {
    let mut l = Limits::default();
    let length = |n: Option<f64>| n.map(|n| n as u64);
    for line in body.split("- ").map(str::trim).filter(|s| !s.is_empty()) {
        // A bound beyond 2^53 (`9223372036854775807`, the int64 range itself) says nothing a
        // float holds exactly: it is left out, so no spec writes a number it cannot read back.
        let numbers: Vec<Option<f64>> = line.split('`').skip(1).step_by(2).filter_map(|n| n.trim().parse::<f64>().ok()).map(|n| (n.abs() < 9.0e15).then_some(n)).collect();
        let first = numbers.first().copied().flatten();
        if line.starts_with("长度范围") {
            if let [min, max] = numbers[..] {
                (l.min_length, l.max_length) = (length(min), length(max));
            }
        } else if line.starts_with("取值范围") {
            if let [min, max] = numbers[..] {
                (l.min, l.max) = (min, max);
            }
        } else if line.starts_with("最大长度") {
            l.max_length = length(first);
        } else if line.starts_with("最小长度") {
            l.min_length = length(first);
        } else if line.starts_with("最大值") {
            l.max = first;
        } else if line.starts_with("最小值") {
            l.min = first;
        } else if line.starts_with("正则校验") {
            // Only a closed code span: a `|` in a pattern ends the table cell (a doc defect) and
            // leaves its code span open, with the pattern cut short.
            let mut parts = line.split('`');
            l.pattern = match (parts.nth(1), parts.next()) {
                (Some(pattern), Some(_)) => Some(pattern.to_owned()),
                _ => None,
            };
        }
    }
    l
}

fn first_word(s: &str) -> &str {
    s.split_whitespace().next().unwrap_or_default()
}

/// Strips one layer of quotes or backticks: `"x"`, `“x”`, `` `x` ``.
pub fn unquote(s: &str) -> String {
    let s = s.trim();
    for (open, close) in [('"', '"'), ('“', '”'), ('`', '`'), ('\'', '\'')] {
        if let Some(inner) = s.strip_prefix(open).and_then(|r| r.strip_suffix(close)) {
            return inner.to_owned();
        }
    }
    s.to_owned()
}

fn is_token(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feishu_cell() {
        let d = describe(
            "用户 ID 类型\n示例值：\"open_id\"\n可选值有：\n- `open_id`: 标识一个用户 链接 - `union_id`: 开发商内 - `user_id`: 租户内\n默认值：`open_id`\n当值为 `user_id`，字段权限要求： `contact:x` 获取",
        );
        assert_eq!(d.text, "用户 ID 类型");
        assert_eq!(d.example.as_deref(), Some("open_id"));
        assert_eq!(d.default.as_deref(), Some("open_id"));
        assert_eq!(d.values, [("open_id".into(), Some("标识一个用户 链接".into())), ("union_id".into(), Some("开发商内".into())), ("user_id".into(), Some("租户内".into()))]);
    }

    #[test]
    fn feishu_limits_and_int_values() {
        let d = describe("用户类型\n示例值：1\n可选值有：\n- `1`: 员工 - `2`: 部门\n数据校验规则：\n- 取值范围：`0` ～ `2400`");
        assert_eq!(d.values.len(), 2);
        assert_eq!(d.limits.min, Some(0.0));
        assert_eq!(d.limits.max, Some(2400.0));
        let d = describe("设备\n数据校验规则：\n- 长度范围：`0` ～ `5000`");
        assert_eq!((d.limits.min_length, d.limits.max_length), (Some(0), Some(5000)));
        let d = describe("时间戳\n数据校验规则：\n- 取值范围：`0` ～ `9223372036854775807`");
        assert_eq!((d.limits.min, d.limits.max), (Some(0.0), None), "the int64 range itself is no limit a float can hold");
    }

    #[test]
    fn a_pattern_cut_off_by_a_table_pipe_is_no_pattern() {
        assert_eq!(describe("ID\n数据校验规则：\n- 正则校验：`^[a-z]+$`").limits.pattern.as_deref(), Some("^[a-z]+$"));
        assert_eq!(describe("ID\n数据校验规则：\n- 正则校验：`^0").limits.pattern, None);
    }

    #[test]
    fn a_value_list_with_an_example_inside_keeps_its_later_items() {
        let d = describe("用户 ID 类型，可选值为：\n- `user_id`: ID\n- `identity`: 身份源\n示例值：`a:b`。\n- `sync_relation`: 同步\n示例值：`lark:x`。");
        let values: Vec<&str> = d.values.iter().map(|(v, _)| v.as_str()).collect();
        assert_eq!(values, ["user_id", "identity", "sync_relation"]);
    }

    #[test]
    fn value_lists_after_other_markers() {
        let values = |cell: &str| describe(cell).values.into_iter().map(|(v, m)| (v, m.unwrap_or_default())).collect::<Vec<_>>();
        let pair = |v: &str, m: &str| (v.to_owned(), m.to_owned());
        assert_eq!(values("应用环境，枚举值： - `online`：线上环境 - `dev`：开发环境"), [pair("online", "线上环境"), pair("dev", "开发环境")]);
        assert_eq!(values("用户类型，枚举值： - 1: 用户  - 2: 机器人 - 11: Mail"), [pair("1", "用户"), pair("2", "机器人"), pair("11", "Mail")]);
        assert_eq!(values("更新的维度。可选值：  - `ROWS`：行  - `COLUMNS`：列"), [pair("ROWS", "行"), pair("COLUMNS", "列")]);
        // Prose items beside coded values, and prose items alone, are no values.
        assert_eq!(values("状态\n可选值有：\n- `0`: 编辑中 - 注意：只读 - `1`: 审批中"), [pair("0", "编辑中"), pair("1", "审批中")]);
        assert_eq!(values("类型。可选值：\n- 注意：只读\n- {\"a\":1}"), []);
    }

    #[test]
    fn a_bare_list_in_a_feishu_cell_is_prose() {
        let cell = "调整类型，查询参数如下：\n- object_api_name：seniority\n- custom_api_name：type";
        assert_eq!(describe_feishu(cell).values, []);
        assert_eq!(describe(cell).values.len(), 2, "Authing writes its values so");
    }

    #[test]
    fn authing_cells() {
        let d = describe("账户当前状态：\n- Activated: 正常状态\n- Suspended: 已停用");
        assert_eq!(d.text, "账户当前状态");
        assert_eq!(d.values, [("Activated".into(), Some("正常状态".into())), ("Suspended".into(), Some("已停用".into()))]);
        let d = describe("用户 ID 类型,可以指定。。 枚举值:user_id,external_id,phone");
        assert_eq!(d.values.len(), 3);
        let d = describe("用户 ID 类型，默认值为 `user_id`，可选值为：\n- `user_id`: Authing 用户 ID\n- `phone`: 用户手机号");
        assert_eq!(d.default.as_deref(), Some("user_id"));
        assert_eq!(d.values.len(), 2);
        let d = describe("外部身份源。嵌套类型:IdentityDto。");
        assert_eq!(d.nested_type.as_deref(), Some("IdentityDto"));
        assert_eq!(d.text, "外部身份源。");
    }
}
