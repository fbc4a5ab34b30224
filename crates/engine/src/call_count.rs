//! Counts the AWS operations this process made, by service and name, so the
//! benchmark and the CLI (`AWS_SETUP_COUNT_CALLS=1`) can compare each step
//! with the fewest calls it needs. Retries of one operation count once.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use std::collections::BTreeMap;
use std::sync::Mutex;

static CALLS: Mutex<BTreeMap<String, u32>> = Mutex::new(BTreeMap::new());

#[derive(Debug, Clone, Copy, Default)]
pub struct CallCounter;

impl Intercept for CallCounter {
    fn name(&self) -> &'static str {
        "CallCounter"
    }

    // Not read_before_execution: for a client's own interceptors that runs
    // before the operation's metadata is in the config bag.
    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(metadata) = cfg.load::<Metadata>() {
            if let Ok(mut calls) = CALLS.lock() {
                *calls.entry(format!("{}:{}", metadata.service(), metadata.name())).or_default() += 1;
            }
        }
        Ok(())
    }
}

/// Every operation made so far, as `service:Operation` → count.
pub fn snapshot() -> BTreeMap<String, u32> {
    CALLS.lock().map(|c| c.clone()).unwrap_or_default()
}

pub fn total() -> u32 {
    snapshot().values().sum()
}
