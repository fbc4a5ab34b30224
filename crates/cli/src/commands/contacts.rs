//! `aws-setup contacts get|put|delete`: alternate contacts for billing, operations and security.

use super::{finish, open_session, Common};
use crate::output;
use engine::session::ContactEntry;
use engine::steps::contacts;
use engine::Lang;

#[derive(clap::Subcommand)]
pub enum ContactsCommand {
    /// Show the three alternate contacts.
    Get(Common),
    /// Set one contact.
    Put {
        #[arg(value_enum)]
        kind: ContactKindArg,
        #[arg(long)]
        name: String,
        #[arg(long)]
        title: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        phone: String,
        #[command(flatten)]
        common: Common,
    },
    /// Remove one contact.
    Delete {
        #[arg(value_enum)]
        kind: ContactKindArg,
        #[command(flatten)]
        common: Common,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ContactKindArg {
    Billing,
    Operations,
    Security,
}

impl From<ContactKindArg> for contacts::ContactKind {
    fn from(kind: ContactKindArg) -> Self {
        match kind {
            ContactKindArg::Billing => contacts::ContactKind::Billing,
            ContactKindArg::Operations => contacts::ContactKind::Operations,
            ContactKindArg::Security => contacts::ContactKind::Security,
        }
    }
}

pub async fn run(command: ContactsCommand, lang: Lang) -> u8 {
    let json = match &command {
        ContactsCommand::Get(c) | ContactsCommand::Put { common: c, .. } | ContactsCommand::Delete { common: c, .. } => c.json,
    };
    finish(
        async {
            match command {
                ContactsCommand::Get(common) => {
                    let session = open_session(&common).await?;
                    let mut all = serde_json::Map::new();
                    for ContactEntry {
                        kind,
                        contact,
                        explanation,
                    } in session.get_contacts().await?
                    {
                        let key = serde_json::to_value(kind)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default();
                        if !json {
                            println!("{key}: {}", explanation.get(lang));
                            match &contact {
                                Some(c) => println!("  {} <{}> {} ({})", c.name, c.email, c.phone, c.title),
                                None => println!("  {}", lang.pick("(없음)", "(not set)")),
                            }
                        }
                        all.insert(key, serde_json::to_value(contact).unwrap_or_default());
                    }
                    if json {
                        output::json(&all);
                    }
                }
                ContactsCommand::Put {
                    kind,
                    name,
                    title,
                    email,
                    phone,
                    common,
                } => {
                    let contact = contacts::Contact { name, title, email, phone };
                    contact.validate()?;
                    open_session(&common).await?.put_contact(kind.into(), &contact).await?;
                    if json {
                        output::json(&serde_json::json!({ "put": true }));
                    }
                }
                ContactsCommand::Delete { kind, common } => {
                    open_session(&common).await?.delete_contact(kind.into()).await?;
                    if json {
                        output::json(&serde_json::json!({ "deleted": true }));
                    }
                }
            }
            Ok(output::EXIT_OK)
        }
        .await,
        lang,
        json,
    )
}
