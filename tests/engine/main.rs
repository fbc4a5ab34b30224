//! Engine steps against a real moto server with IAM auth switched on.

mod identity;
