//! `aws-setup identity-center`: IAM Identity Center for this one account, the
//! path seed 002 recommends, after the walkthrough. The admin becomes an
//! Identity Center user with the AdministratorAccess permission set, and the
//! AWS CLI gets a profile for `aws sso login`. Run it again after enabling
//! Identity Center in the console: what is done is skipped.

use super::{finish, open_session, Common};
use crate::output;
use engine::connection::DEFAULT_REGION;
use engine::steps::identity_center_admin::{IdentityCenterAdminForm, IdentityCenterAdminOutcome, DEFAULT_PROFILE};
use engine::Lang;

#[derive(clap::Args)]
pub struct Args {
    /// The admin's sign-in name on the AWS access portal.
    #[arg(long)]
    user: String,
    #[arg(long)]
    given_name: String,
    #[arg(long)]
    family_name: String,
    /// Where "Forgot password" sends the link for the first password.
    #[arg(long)]
    email: String,
    /// The region Identity Center is (or will be) enabled in.
    #[arg(long, default_value = DEFAULT_REGION)]
    region: String,
    /// The AWS CLI profile to write for `aws sso login`.
    #[arg(long, default_value = DEFAULT_PROFILE)]
    cli_profile: String,
    #[command(flatten)]
    common: Common,
}

pub async fn run(args: Args, lang: Lang) -> u8 {
    let json = args.common.json;
    let form = IdentityCenterAdminForm {
        user_name: args.user,
        given_name: args.given_name,
        family_name: args.family_name,
        email: args.email,
        region: args.region,
        profile: args.cli_profile,
    };
    finish(
        async {
            // Checked before connecting: bad input never reaches AWS.
            form.validate()?;
            let session = open_session(&args.common).await?;
            let outcome = session.identity_center_admin(&form).await?;
            if json {
                output::json(&outcome);
            } else {
                print_outcome(&outcome, lang);
            }
            Ok(match outcome {
                // The console step is the user's to do.
                IdentityCenterAdminOutcome::NotEnabled { .. } => output::EXIT_NEEDS_YOU,
                IdentityCenterAdminOutcome::Ready { .. } => output::EXIT_OK,
            })
        }
        .await,
        lang,
        json,
    )
}

fn print_outcome(outcome: &IdentityCenterAdminOutcome, lang: Lang) {
    match outcome {
        IdentityCenterAdminOutcome::NotEnabled {
            console_url,
            region,
            organization_created,
        } => {
            if *organization_created {
                println!("{}", lang.pick("✓ 조직(AWS Organizations)을 만들었습니다.", "✓ Made an organization (AWS Organizations)."));
            }
            println!(
                "{}",
                lang.pick(
                    format!("IAM Identity Center가 {region} 리전에서 아직 켜지지 않았습니다. AWS는 이것을 콘솔에서만 허용합니다:\n  1. {console_url} 을 엽니다.\n  2. '활성화'를 누르고, 조직 인스턴스(권장)로 둡니다.\n  3. 이 명령을 다시 실행합니다. 끝난 부분은 건너뜁니다."),
                    format!("IAM Identity Center is not enabled in {region} yet. AWS allows that only in the console:\n  1. Open {console_url}\n  2. Press 'Enable' and keep the organization instance (recommended).\n  3. Run this command again. What is done is skipped."),
                )
            );
        }
        IdentityCenterAdminOutcome::Ready {
            portal_url,
            user_name,
            account_id,
            permission_set,
            profile,
            config_path,
            ..
        } => println!(
            "{}",
            lang.pick(
                format!("✓ Identity Center 관리자 '{user_name}' — 계정 {account_id}, 권한 세트 {permission_set}\n  액세스 포털: {portal_url}\n  첫 로그인: 포털에서 사용자 이름을 넣고 '암호를 잊으셨나요?'를 눌러, 받은 메일로 암호를 정하세요(API로 만든 사용자에게는 초대 메일이 가지 않습니다). 요청하면 MFA 기기를 등록하세요.\n  AWS CLI: {config_path} 의 프로필 '{profile}' — aws sso login --profile {profile}"),
                format!("✓ Identity Center admin '{user_name}' — account {account_id}, permission set {permission_set}\n  Access portal: {portal_url}\n  First sign-in: enter the user name on the portal and press 'Forgot password', then set a password from the email (users made by API get no invitation). Register an MFA device when asked.\n  AWS CLI: profile '{profile}' in {config_path} — aws sso login --profile {profile}"),
            )
        ),
    }
}
