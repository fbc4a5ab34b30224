//! What students launched and stored, found and removed before an account
//! goes back to the pool: EC2 instances, unattached EBS volumes, Elastic IPs
//! and key pairs in the class's regions, and S3 buckets. Like aws-nuke, but
//! only these kinds.
//!
//! Through the AWS CLI v2, as the member account's access role, rather than
//! through `aws-sdk-ec2`/`aws-sdk-s3`: those two clients would be the largest
//! crates in the build (cold CI is already near its 50-minute budget on two
//! cores, and the GUI binary over its size target), for seven calls. The
//! instructor's computer has the AWS CLI for console sign-in anyway; without
//! it, recycling cleans IAM and budgets only, and the report says so.

use crate::connection::Connection;
use crate::error::{EngineError, Result};
use aws_credential_types::provider::ProvideCredentials;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use ts_rs::TS;
use zeroize::Zeroizing;

/// How long `aws ec2 wait instance-terminated` may take before volumes are looked at.
const TERMINATION_WAIT_SECONDS: u64 = 600;

/// The leftovers found (a dry run) or removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct Leftovers {
    pub ec2_instances: u32,
    pub ebs_volumes: u32,
    pub elastic_ips: u32,
    pub key_pairs: u32,
    pub s3_buckets: u32,
}

impl std::ops::AddAssign for Leftovers {
    fn add_assign(&mut self, other: Leftovers) {
        self.ec2_instances += other.ec2_instances;
        self.ebs_volumes += other.ebs_volumes;
        self.elastic_ips += other.elastic_ips;
        self.key_pairs += other.key_pairs;
        self.s3_buckets += other.s3_buckets;
    }
}

/// The AWS CLI acting as a member account's role: the role's temporary
/// credentials go to the child's environment only, never to its arguments.
struct MemberCli {
    program: PathBuf,
    env: Vec<(&'static str, Zeroizing<String>)>,
    endpoint: Option<String>,
}

impl MemberCli {
    async fn new(program: &Path, member: &Connection) -> Result<MemberCli> {
        let config = member
            .sdk_config()
            .ok_or_else(|| EngineError::Internal("a connection without configuration".into()))?;
        let provider = config
            .credentials_provider()
            .ok_or_else(|| EngineError::Internal("a member connection without credentials".into()))?;
        let creds = provider
            .provide_credentials()
            .await
            .map_err(|e| EngineError::Internal(e.to_string()))?;
        let mut env = vec![
            ("AWS_ACCESS_KEY_ID", Zeroizing::new(creds.access_key_id().to_string())),
            ("AWS_SECRET_ACCESS_KEY", Zeroizing::new(creds.secret_access_key().to_string())),
            ("AWS_PAGER", Zeroizing::new(String::new())),
        ];
        if let Some(token) = creds.session_token() {
            env.push(("AWS_SESSION_TOKEN", Zeroizing::new(token.to_string())));
        }
        Ok(MemberCli {
            program: program.to_path_buf(),
            env,
            endpoint: config.endpoint_url().map(str::to_string),
        })
    }

    /// One call; what it printed.
    async fn call(&self, region: &str, args: &[&str]) -> Result<Vec<u8>> {
        let mut cmd = tokio::process::Command::new(&self.program);
        cmd.args(args)
            .args(["--region", region, "--output", "json"])
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_DEFAULT_PROFILE")
            .envs(self.env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        if let Some(endpoint) = &self.endpoint {
            cmd.args(["--endpoint-url", endpoint]);
        }
        let out = cmd
            .output()
            .await
            .map_err(|e| EngineError::Internal(format!("the AWS CLI did not start: {e}")))?;
        if !out.status.success() {
            return Err(cli_error(&String::from_utf8_lossy(&out.stderr), args));
        }
        Ok(out.stdout)
    }

    /// The strings a query picks out of a describe call's answer.
    async fn ids(&self, region: &str, args: &[&str]) -> Result<Vec<String>> {
        let printed = self.call(region, args).await?;
        let answer = parse_printed(&printed, &args.join(" "))?;
        Ok(answer
            .as_array()
            .map(|items| items.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
            .unwrap_or_default())
    }
}

/// What a call with `--output json` printed; `null` when it printed nothing
/// (a `--query` that matched nothing).
fn parse_printed(printed: &[u8], call: &str) -> Result<Value> {
    if printed.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(printed).map_err(|e| EngineError::Internal(format!("aws {call}: {e}")))
}

/// The AWS CLI's "An error occurred (Code) when calling the Op operation: …".
fn cli_error(stderr: &str, args: &[&str]) -> EngineError {
    let code = stderr
        .split("An error occurred (")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .unwrap_or("AwsCliFailed")
        .to_string();
    let said: String = stderr
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .chars()
        .take(300)
        .collect();
    tracing::info!(call = %args.join(" "), %code, %said, "an AWS CLI call in a member account failed");
    EngineError::Aws {
        code,
        operation: "AWS CLI (member account)",
    }
}

/// Finds (and unless `dry_run`, removes) the leftovers in one account. The
/// caller has checked that `program` is the AWS CLI v2.
pub(crate) async fn clean(program: &Path, member: &Connection, regions: &[String], dry_run: bool) -> Result<Leftovers> {
    let cli = MemberCli::new(program, member).await?;
    let mut found = Leftovers::default();
    for region in regions {
        found += clean_region(&cli, region, dry_run).await?;
    }
    found.s3_buckets = clean_buckets(
        &cli,
        regions.first().map(String::as_str).unwrap_or(crate::connection::DEFAULT_REGION),
        dry_run,
    )
    .await?;
    Ok(found)
}

async fn clean_region(cli: &MemberCli, region: &str, dry_run: bool) -> Result<Leftovers> {
    let mut found = Leftovers::default();
    let instances = cli
        .ids(
            region,
            &[
                "ec2",
                "describe-instances",
                "--filters",
                "Name=instance-state-name,Values=pending,running,stopping,stopped",
                "--query",
                "Reservations[].Instances[].InstanceId",
            ],
        )
        .await?;
    found.ec2_instances = instances.len() as u32;
    if !dry_run && !instances.is_empty() {
        let ids: Vec<&str> = instances.iter().map(String::as_str).collect();
        cli.call(region, &[&["ec2", "terminate-instances", "--instance-ids"], &ids[..]].concat())
            .await?;
        // Their volumes come free only once they are gone.
        let wait_args = [&["ec2", "wait", "instance-terminated", "--instance-ids"], &ids[..]].concat();
        let wait = tokio::time::timeout(
            std::time::Duration::from_secs(TERMINATION_WAIT_SECONDS),
            cli.call(region, &wait_args),
        );
        wait.await.map_err(|_| EngineError::Unavailable)??;
    }
    let volumes = cli
        .ids(
            region,
            &[
                "ec2",
                "describe-volumes",
                "--filters",
                "Name=status,Values=available",
                "--query",
                "Volumes[].VolumeId",
            ],
        )
        .await?;
    found.ebs_volumes = volumes.len() as u32;
    let addresses = cli
        .ids(region, &["ec2", "describe-addresses", "--query", "Addresses[].AllocationId"])
        .await?;
    found.elastic_ips = addresses.len() as u32;
    let key_pairs = cli
        .ids(region, &["ec2", "describe-key-pairs", "--query", "KeyPairs[].KeyName"])
        .await?;
    found.key_pairs = key_pairs.len() as u32;
    if dry_run {
        return Ok(found);
    }
    for volume in &volumes {
        cli.call(region, &["ec2", "delete-volume", "--volume-id", volume]).await?;
    }
    for allocation in &addresses {
        cli.call(region, &["ec2", "release-address", "--allocation-id", allocation]).await?;
    }
    for key in &key_pairs {
        cli.call(region, &["ec2", "delete-key-pair", "--key-name", key]).await?;
    }
    Ok(found)
}

/// Buckets are global; each is emptied and removed.
async fn clean_buckets(cli: &MemberCli, region: &str, dry_run: bool) -> Result<u32> {
    let buckets = cli.ids(region, &["s3api", "list-buckets", "--query", "Buckets[].Name"]).await?;
    if !dry_run {
        for bucket in &buckets {
            empty_bucket(cli, region, bucket).await?;
            cli.call(region, &["s3api", "delete-bucket", "--bucket", bucket]).await?;
        }
    }
    Ok(buckets.len() as u32)
}

/// The longest `--delete` argument: the list goes on the command line, and
/// Windows allows 32,767 characters there. It holds at most 774 objects (the
/// shortest is `{"Key":"a","VersionId":"null"}`), under AWS's 1,000 a call.
const DELETE_ARG_CHARS: usize = 24_000;

/// Removes every object version and delete marker. `aws s3 rb --force`
/// removes only the current objects, so a bucket a student turned
/// versioning on for would stay "not empty" and the account out of the pool.
/// An unversioned bucket's objects are listed here too, with version "null".
async fn empty_bucket(cli: &MemberCli, region: &str, bucket: &str) -> Result<()> {
    let listed = cli
        .call(
            region,
            &[
                "s3api",
                "list-object-versions",
                "--bucket",
                bucket,
                "--query",
                "[Versions, DeleteMarkers][][].{Key: Key, VersionId: VersionId}",
            ],
        )
        .await?;
    for delete in delete_arguments(versions_to_delete(&listed)?) {
        cli.call(region, &["s3api", "delete-objects", "--bucket", bucket, "--delete", &delete])
            .await?;
    }
    Ok(())
}

/// The `--delete` arguments for `objects`, each within the command-line and
/// the per-call limits. One object always fits: a key is at most 1,024 bytes.
fn delete_arguments(objects: Vec<Value>) -> Vec<String> {
    let argument = |batch: &[Value]| serde_json::json!({ "Objects": batch, "Quiet": true }).to_string();
    let mut arguments = Vec::new();
    let mut batch: Vec<Value> = Vec::new();
    let mut length = 0;
    for object in objects {
        let size = object.to_string().len() + 1;
        if !batch.is_empty() && length + size > DELETE_ARG_CHARS {
            arguments.push(argument(&batch));
            batch.clear();
            length = 0;
        }
        length += size;
        batch.push(object);
    }
    if !batch.is_empty() {
        arguments.push(argument(&batch));
    }
    arguments
}

/// `[{Key, VersionId}, …]` from what `list-object-versions` printed (empty
/// output, or `null`, for an empty bucket).
fn versions_to_delete(printed: &[u8]) -> Result<Vec<Value>> {
    let listed = parse_printed(printed, "s3api list-object-versions")?;
    Ok(listed
        .as_array()
        .map(|items| items.iter().filter(|v| v["Key"].is_string()).cloned().collect())
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_version_and_delete_marker_is_deleted_and_an_empty_bucket_needs_no_call() {
        let printed = br#"[{"Key": "notes.txt", "VersionId": "v2"}, {"Key": "notes.txt", "VersionId": "v1"},
            {"Key": "old.txt", "VersionId": "m1"}, null]"#;
        let versions = versions_to_delete(printed).unwrap();
        assert_eq!(
            versions,
            [
                serde_json::json!({"Key": "notes.txt", "VersionId": "v2"}),
                serde_json::json!({"Key": "notes.txt", "VersionId": "v1"}),
                serde_json::json!({"Key": "old.txt", "VersionId": "m1"}),
            ]
        );
        for empty in [&b""[..], b"\n", b"null\n", b"[]"] {
            assert!(versions_to_delete(empty).unwrap().is_empty(), "{empty:?}");
        }
        assert!(versions_to_delete(b"not json").is_err());
    }

    #[test]
    fn deletes_are_batched_within_the_command_line_and_the_call_limits() {
        let object = |key: String| serde_json::json!({"Key": key, "VersionId": "3HL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY"});
        let objects_in = |argument: &String| {
            let parsed: Value = serde_json::from_str(argument).unwrap();
            assert_eq!(parsed["Quiet"], true);
            parsed["Objects"].as_array().unwrap().len()
        };
        // Long keys: the command line is the limit.
        let long: Vec<Value> = (0..300).map(|i| object(format!("{i:04}-{}", "k".repeat(1_000)))).collect();
        let arguments = delete_arguments(long);
        assert!(arguments.len() > 1 && arguments.iter().all(|a| a.len() <= DELETE_ARG_CHARS + 100));
        assert_eq!(arguments.iter().map(objects_in).sum::<usize>(), 300);
        // The shortest objects stay under AWS's 1,000 a call.
        let shortest: Vec<Value> = (0..2_500).map(|_| serde_json::json!({"Key": "a", "VersionId": "null"})).collect();
        let counts: Vec<usize> = delete_arguments(shortest).iter().map(objects_in).collect();
        assert!(counts.iter().all(|&n| n <= 1_000), "{counts:?}");
        assert_eq!(counts.iter().sum::<usize>(), 2_500);
        assert!(delete_arguments(Vec::new()).is_empty());
    }

    #[test]
    fn an_aws_cli_failure_keeps_awss_code() {
        let err = cli_error(
            "\nAn error occurred (UnauthorizedOperation) when calling the TerminateInstances operation: You are not authorized\n",
            &["ec2", "terminate-instances"],
        );
        assert!(
            matches!(err, EngineError::Aws { ref code, .. } if code == "UnauthorizedOperation"),
            "{err:?}"
        );
    }
}
