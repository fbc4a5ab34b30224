//! Step "checkup": a report card of the things that hurt beginners most,
//! drawn from the CIS AWS Foundations checks as Prowler runs them. Each check
//! says pass, fail or can't tell, why it matters, and how to fix it.

use crate::connection::Connection;
use crate::error::Result;
use crate::files::{self, Overwrite};
use crate::iam;
use crate::lang::Lang;
use crate::passwords::PasswordPolicy;
use crate::steps::account_status::{self, AccountStatus};
use crate::steps::{alias, budget, partner};
use serde::Serialize;
use std::path::Path;
use std::time::Duration;
use ts_rs::TS;

pub(crate) const KEY_MAX_AGE_DAYS: i64 = 90;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "ipc.ts")]
pub enum CheckStatus {
    Pass,
    Fail,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct Check {
    pub id: String,
    pub status: CheckStatus,
    /// Why it matters, in one sentence.
    pub why: String,
    /// What to do about a failure.
    pub fix: String,
    /// The wizard step that fixes it, when there is one.
    pub fix_step: Option<String>,
    /// The console page that fixes it, when only the console can.
    pub fix_url: Option<String>,
    /// What the check saw, for "can't tell" and failures.
    pub detail: Option<String>,
}

/// One user's row of the IAM credential report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CredentialRow {
    pub user: String,
    pub password_enabled: bool,
    pub mfa_active: bool,
    pub key_1_active: bool,
    pub key_1_last_rotated: Option<time::OffsetDateTime>,
    pub key_2_active: bool,
    pub key_2_last_rotated: Option<time::OffsetDateTime>,
}

fn parse_time(value: &str) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc3339).ok()
}

/// Parses the credential report CSV; the root account's row is left out.
pub(crate) fn parse_credential_report(csv_text: &str) -> Vec<CredentialRow> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(csv_text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(_) => return Vec::new(),
    };
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (user, pw, mfa, k1, k1r, k2, k2r) = (
        col("user"),
        col("password_enabled"),
        col("mfa_active"),
        col("access_key_1_active"),
        col("access_key_1_last_rotated"),
        col("access_key_2_active"),
        col("access_key_2_last_rotated"),
    );
    reader
        .records()
        .filter_map(|r| r.ok())
        .filter_map(|r| {
            let get = |i: Option<usize>| i.and_then(|i| r.get(i)).unwrap_or_default().to_string();
            let name = get(user);
            (!name.is_empty() && name != "<root_account>").then(|| CredentialRow {
                user: name,
                password_enabled: get(pw) == "true",
                mfa_active: get(mfa) == "true",
                key_1_active: get(k1) == "true",
                key_1_last_rotated: parse_time(&get(k1r)),
                key_2_active: get(k2) == "true",
                key_2_last_rotated: parse_time(&get(k2r)),
            })
        })
        .collect()
}

/// Generates the report (AWS builds it at most every 4 hours) and reads it.
pub(crate) async fn credential_report(connection: &Connection) -> Result<Vec<CredentialRow>> {
    for _ in 0..30 {
        if iam::generate_credential_report(connection).await? {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    Ok(parse_credential_report(&iam::credential_report_csv(connection).await?))
}

fn policy_is_strong(policy: &PasswordPolicy) -> bool {
    let cis = PasswordPolicy::cis();
    policy.minimum_length >= cis.minimum_length
        && policy.require_uppercase
        && policy.require_lowercase
        && policy.require_numbers
        && policy.require_symbols
        && policy.reuse_prevention.unwrap_or(0) >= cis.reuse_prevention.unwrap_or(0)
}

fn status_of(pass: Option<bool>) -> CheckStatus {
    match pass {
        Some(true) => CheckStatus::Pass,
        Some(false) => CheckStatus::Fail,
        None => CheckStatus::Unknown,
    }
}

struct Facts {
    account: Option<AccountStatus>,
    report: Option<Vec<CredentialRow>>,
    direct_admins: Option<Vec<String>>,
    budget: Option<bool>,
    alias: Option<bool>,
    /// Console users without MFA whose policies are a billing partner's.
    partner_users: Option<Vec<String>>,
}

/// The console users without MFA that are billing-partner users: the app
/// makes those without MFA on purpose, and the report says why.
async fn partner_users_without_mfa(connection: &Connection, rows: &[CredentialRow]) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for row in rows.iter().filter(|r| r.password_enabled && !r.mfa_active) {
        if partner::looks_like_partner(&iam::user_policies(connection, &row.user).await?) {
            names.push(row.user.clone());
        }
    }
    Ok(names)
}

async fn direct_admins(connection: &Connection) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for user in iam::all_users(connection).await? {
        if iam::has_admin_policy_attached(connection, user.user_name()).await? {
            names.push(user.user_name().to_string());
        }
    }
    Ok(names)
}

/// Runs every check. A check whose facts AWS would not give is "unknown",
/// never a guess.
pub async fn run(connection: &Connection, account_id: &str, lang: Lang) -> Vec<Check> {
    let report = credential_report(connection).await.ok();
    let partner_users = match &report {
        Some(rows) => partner_users_without_mfa(connection, rows).await.ok(),
        None => None,
    };
    let facts = Facts {
        account: account_status::read(connection).await.ok(),
        report,
        direct_admins: direct_admins(connection).await.ok(),
        budget: budget::any_exists(connection, account_id).await.ok(),
        alias: alias::current(connection).await.ok().map(|a| a.is_some()),
        partner_users,
    };
    build_checks(&facts, time::OffsetDateTime::now_utc(), lang)
}

fn users_where(report: &Option<Vec<CredentialRow>>, bad: impl Fn(&CredentialRow) -> bool) -> Option<Vec<String>> {
    report
        .as_ref()
        .map(|rows| rows.iter().filter(|r| bad(r)).map(|r| r.user.clone()).collect())
}

fn build_checks(facts: &Facts, now: time::OffsetDateTime, lang: Lang) -> Vec<Check> {
    let t = |ko: &str, en: &str| lang.pick(ko, en).to_string();
    let security_credentials = Some("https://console.aws.amazon.com/iam/home#/security_credentials".to_string());
    let old = |rotated: Option<time::OffsetDateTime>| rotated.is_some_and(|r| (now - r).whole_days() > KEY_MAX_AGE_DAYS);
    let no_mfa = users_where(&facts.report, |r| r.password_enabled && !r.mfa_active);
    let stale = users_where(&facts.report, |r| {
        (r.key_1_active && old(r.key_1_last_rotated)) || (r.key_2_active && old(r.key_2_last_rotated))
    });
    let two_keys = users_where(&facts.report, |r| r.key_1_active && r.key_2_active);
    let listed = |names: &Option<Vec<String>>| names.as_ref().filter(|n| !n.is_empty()).map(|n| n.join(", "));
    let empty = |names: &Option<Vec<String>>| names.as_ref().map(|n| n.is_empty());
    // A partner user without MFA is named with the reason it has none.
    let partner_reason = t(
        "결제 파트너 사용자: MFA 디바이스는 파트너의 휴대폰에 있어야 해서 앱이 만들지 않았습니다. 파트너와 통화하며 콘솔에서 MFA를 할당하거나, 파트너의 일이 끝나면 이 사용자를 삭제하세요",
        "billing partner user: its MFA device belongs on the partner's phone, so the app did not add one. Assign MFA in the console with the partner on a call, or delete this user when the partner's work is done",
    );
    let no_mfa_detail = no_mfa.as_ref().filter(|n| !n.is_empty()).map(|names| {
        let partners = facts.partner_users.as_deref().unwrap_or_default();
        names
            .iter()
            .map(|n| match partners.contains(n) {
                true => format!("{n} ({partner_reason})"),
                false => n.clone(),
            })
            .collect::<Vec<_>>()
            .join("; ")
    });
    let policy_strong = facts
        .account
        .as_ref()
        .map(|a| a.password_policy.as_ref().is_some_and(policy_is_strong));

    let check = |id: &str,
                 pass: Option<bool>,
                 why: String,
                 fix: String,
                 fix_step: Option<&str>,
                 fix_url: Option<String>,
                 detail: Option<String>| Check {
        id: id.into(),
        status: status_of(pass),
        why,
        fix,
        fix_step: fix_step.map(str::to_string),
        fix_url,
        detail,
    };
    vec![
        check(
            "root_mfa",
            facts.account.as_ref().map(|a| a.root_mfa_enabled),
            t(
                "루트 사용자는 계정의 모든 것을 할 수 있어, 암호만으로 지키기에는 너무 위험합니다.",
                "The root user can do anything in the account; a password alone is too weak a lock for it.",
            ),
            t(
                "루트로 로그인해 보안 자격 증명에서 MFA를 할당하세요.",
                "Sign in as root and assign an MFA device under Security credentials.",
            ),
            Some("root_mfa"),
            security_credentials.clone(),
            None,
        ),
        check(
            "root_access_key",
            facts.account.as_ref().map(|a| !a.root_access_key_present),
            t(
                "루트 액세스 키가 새면 계정 전체를 잃습니다. 루트 키는 없어야 합니다.",
                "A leaked root access key loses the whole account; root should have none.",
            ),
            t(
                "정리 단계에서 임시 루트 키를 삭제하거나, 보안 자격 증명에서 지우세요.",
                "Delete the temporary root key in the Clean up step, or under Security credentials.",
            ),
            Some("bootstrap_cleanup"),
            security_credentials.clone(),
            None,
        ),
        check(
            "password_policy",
            policy_strong,
            t(
                "강한 암호 정책이 있어야 쉬운 암호로 IAM 사용자가 뚫리지 않습니다.",
                "A strong password policy keeps IAM users from choosing guessable passwords.",
            ),
            t(
                "관리자 사용자 단계에서 암호 정책(14자 이상, 모든 문자 종류, 재사용 24회 금지)을 켜세요.",
                "Turn on the password policy (14+ characters, every character class, no reuse of the last 24) in the Admin user step.",
            ),
            Some("admin_user"),
            None,
            facts.account.as_ref().map(|a| match &a.password_policy {
                None => t("암호 정책이 없습니다.", "No password policy is set."),
                Some(p) => format!("{} {}", t("최소 길이:", "Minimum length:"), p.minimum_length),
            }),
        ),
        check(
            "console_users_mfa",
            empty(&no_mfa),
            t(
                "콘솔 암호가 있는 사용자는 MFA가 있어야 암호가 새도 안전합니다.",
                "Every user with a console password needs MFA, so a leaked password is not enough to get in.",
            ),
            t(
                "관리자 MFA 단계에서 MFA를 켜거나, 해당 사용자에게 MFA를 할당하세요.",
                "Turn on MFA in the Admin MFA step, or assign MFA to those users.",
            ),
            Some("user_mfa"),
            None,
            no_mfa_detail,
        ),
        check(
            "access_keys_rotated",
            empty(&stale),
            t(
                "90일 넘은 액세스 키는 어딘가에 새어 있을 가능성이 커집니다.",
                "The older an access key, the likelier it has leaked somewhere; rotate within 90 days.",
            ),
            t(
                "새 키를 만들어 바꾼 뒤 옛 키를 비활성화하고 지우세요.",
                "Create a new key, switch to it, then deactivate and delete the old one.",
            ),
            Some("access_key"),
            None,
            listed(&stale),
        ),
        check(
            "one_active_key_per_user",
            empty(&two_keys),
            t(
                "활성 키가 둘이면 하나는 잊힌 채 남아 있기 쉽습니다.",
                "With two active keys, one tends to be forgotten and left exposed.",
            ),
            t(
                "쓰지 않는 키를 비활성화하고 지우세요.",
                "Deactivate and delete the key you do not use.",
            ),
            Some("access_key"),
            None,
            listed(&two_keys),
        ),
        check(
            "admin_via_group",
            empty(&facts.direct_admins),
            t(
                "권한은 그룹으로 주어야 한눈에 관리되고, 실수로 남는 권한이 없습니다.",
                "Rights given through a group are easy to see and to take away; rights on a user get forgotten.",
            ),
            t(
                "사용자를 Administrators 그룹에 넣고, 사용자에 직접 붙인 AdministratorAccess를 떼세요.",
                "Add the user to the Administrators group and detach AdministratorAccess from the user.",
            ),
            Some("admin_user"),
            None,
            listed(&facts.direct_admins),
        ),
        check(
            "budget_exists",
            facts.budget,
            t(
                "예산 알림이 없으면 예상 못 한 요금을 청구서로 처음 알게 됩니다.",
                "Without a budget alert, the first you hear of a surprise charge is the bill.",
            ),
            t(
                "예산 알림 단계에서 월 예산(기본 10 USD)을 만드세요.",
                "Create a monthly budget (USD 10 by default) in the Budget step.",
            ),
            Some("budget"),
            None,
            None,
        ),
        check(
            "alias_set",
            facts.alias,
            t(
                "별칭이 있으면 로그인 주소를 기억하기 쉬워 피싱 주소와 구별하기 좋습니다.",
                "An alias makes the sign-in URL memorable, which helps tell it from a phishing copy.",
            ),
            t("계정 별칭 단계에서 별칭을 만드세요.", "Create one in the Account alias step."),
            Some("alias"),
            None,
            None,
        ),
    ]
}

/// The note every report carries.
pub(crate) fn freshness_note(lang: Lang) -> String {
    lang.pick(
        "사용자별 항목은 AWS 자격 증명 보고서를 쓰며, 이 보고서는 최대 4시간 전의 상태일 수 있습니다.",
        "Per-user checks use AWS's credential report, which can be up to 4 hours old.",
    )
    .to_string()
}

fn status_label(status: CheckStatus, lang: Lang) -> &'static str {
    match status {
        CheckStatus::Pass => lang.pick("통과", "pass"),
        CheckStatus::Fail => lang.pick("실패", "fail"),
        CheckStatus::Unknown => lang.pick("알 수 없음", "can't tell"),
    }
}

pub(crate) fn to_markdown(checks: &[Check], lang: Lang) -> String {
    let mut text = format!(
        "# {}\n\n_{}_\n\n",
        lang.pick("보안 점검 결과", "Security checkup"),
        freshness_note(lang)
    );
    text.push_str(&format!(
        "| {} | {} | {} | {} |\n|---|---|---|---|\n",
        lang.pick("항목", "check"),
        lang.pick("결과", "result"),
        lang.pick("이유", "why"),
        lang.pick("해결", "fix")
    ));
    for c in checks {
        let fix = match &c.fix_url {
            Some(url) => format!("{} ({url})", c.fix),
            None => c.fix.clone(),
        };
        let row = format!("| {} | {} | {} | {} |", c.id, status_label(c.status, lang), c.why, fix).replace('\n', " ");
        text.push_str(&row);
        text.push('\n');
    }
    text
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub(crate) fn to_html(checks: &[Check], lang: Lang) -> String {
    let mut html = format!(
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title>\n<style>body{{font-family:system-ui,sans-serif;margin:2em}}td,th{{border:1px solid #ccc;padding:.4em;text-align:left}}table{{border-collapse:collapse}}.pass{{color:#1d6b31}}.fail{{color:#a1260d}}</style></head><body>\n<h1>{}</h1><p><em>{}</em></p><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>\n",
        lang.code(),
        lang.pick("보안 점검 결과", "Security checkup"),
        lang.pick("보안 점검 결과", "Security checkup"),
        escape(&freshness_note(lang)),
        lang.pick("항목", "check"),
        lang.pick("결과", "result"),
        lang.pick("이유", "why"),
        lang.pick("해결", "fix"),
    );
    for c in checks {
        let class = match c.status {
            CheckStatus::Pass => "pass",
            CheckStatus::Fail => "fail",
            CheckStatus::Unknown => "unknown",
        };
        html.push_str(&format!(
            "<tr><td>{}</td><td class=\"{class}\">{}</td><td>{}</td><td>{}</td></tr>\n",
            escape(&c.id),
            status_label(c.status, lang),
            escape(&c.why),
            escape(&c.fix)
        ));
    }
    html.push_str("</table></body></html>\n");
    html
}

/// Writes the report; it holds no secrets, only check results.
pub fn export(path: &Path, checks: &[Check], lang: Lang, overwrite: bool) -> Result<()> {
    let html = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
    let text = if html { to_html(checks, lang) } else { to_markdown(checks, lang) };
    let overwrite = if overwrite { Overwrite::Replace } else { Overwrite::Refuse };
    files::write_atomic(path, text.as_bytes(), overwrite)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::1:root,2026-01-01T00:00:00+00:00,not_supported,N/A,not_supported,not_supported,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
good,arn:aws:iam::1:user/good,2026-01-01T00:00:00+00:00,true,N/A,N/A,N/A,true,true,2026-11-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
nomfa,arn:aws:iam::1:user/nomfa,2026-01-01T00:00:00+00:00,true,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
oldkeys,arn:aws:iam::1:user/oldkeys,2026-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,true,2026-01-01T00:00:00+00:00,N/A,N/A,N/A,true,2026-11-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,false,N/A
";

    fn facts() -> Facts {
        Facts {
            account: Some(AccountStatus {
                root_mfa_enabled: true,
                root_access_key_present: false,
                users: 3,
                mfa_devices_in_use: 1,
                password_policy: Some(PasswordPolicy::cis()),
            }),
            report: Some(parse_credential_report(REPORT)),
            direct_admins: Some(vec![]),
            budget: Some(true),
            alias: None,
            partner_users: Some(vec![]),
        }
    }

    fn status(checks: &[Check], id: &str) -> CheckStatus {
        checks.iter().find(|c| c.id == id).unwrap().status
    }

    #[test]
    fn the_credential_report_is_parsed_without_the_root_row() {
        let rows = parse_credential_report(REPORT);
        assert_eq!(rows.len(), 3);
        assert!(rows[0].mfa_active && rows[0].key_1_active && rows[0].key_1_last_rotated.is_some());
    }

    #[test]
    fn per_user_checks_name_the_users_that_fail() {
        let now = time::macros::datetime!(2026-11-21 0:00 UTC);
        let checks = build_checks(&facts(), now, Lang::En);
        assert_eq!(checks.len(), 9);
        assert_eq!(status(&checks, "root_mfa"), CheckStatus::Pass);
        assert_eq!(status(&checks, "password_policy"), CheckStatus::Pass);
        let mfa = checks.iter().find(|c| c.id == "console_users_mfa").unwrap();
        assert_eq!((mfa.status, mfa.detail.as_deref()), (CheckStatus::Fail, Some("nomfa")));
        assert_eq!(
            checks.iter().find(|c| c.id == "access_keys_rotated").unwrap().detail.as_deref(),
            Some("oldkeys")
        );
        assert_eq!(status(&checks, "one_active_key_per_user"), CheckStatus::Fail);
        assert_eq!(status(&checks, "admin_via_group"), CheckStatus::Pass);
        assert_eq!(status(&checks, "alias_set"), CheckStatus::Unknown, "no answer is not a pass");
    }

    #[test]
    fn a_partner_user_without_mfa_is_flagged_with_the_reason() {
        let mut facts = facts();
        facts.partner_users = Some(vec!["nomfa".into()]);
        for (lang, words) in [(Lang::En, "partner's phone"), (Lang::Ko, "파트너의 휴대폰")] {
            let checks = build_checks(&facts, time::macros::datetime!(2026-11-21 0:00 UTC), lang);
            let mfa = checks.iter().find(|c| c.id == "console_users_mfa").unwrap();
            assert_eq!(mfa.status, CheckStatus::Fail, "still a failure: the reason is not an excuse");
            let detail = mfa.detail.as_deref().unwrap();
            assert!(detail.starts_with("nomfa (") && detail.contains(words), "{detail}");
        }
    }

    #[test]
    fn reports_export_as_markdown_and_html_in_both_languages() {
        let checks = build_checks(&facts(), time::OffsetDateTime::now_utc(), Lang::Ko);
        let md = to_markdown(&checks, Lang::Ko);
        assert!(md.contains("| root_mfa | 통과 |") && md.contains("4시간"));
        let html = to_html(&checks, Lang::En);
        assert!(html.contains("<td class=\"fail\">fail</td>") && html.contains("4 hours"));
    }
}
