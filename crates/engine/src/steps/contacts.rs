//! Step "contacts": alternate contacts for billing, operations and security,
//! so AWS's notices reach someone besides the root email.

use crate::aws_error;
use crate::connection::Connection;
use crate::error::{EngineError, Result};
use crate::lang::Bilingual;
use crate::validation::{self, Invalid};
use aws_sdk_account::types::AlternateContactType;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "ipc.ts")]
pub enum ContactKind {
    Billing,
    Operations,
    Security,
}

impl ContactKind {
    pub const ALL: [ContactKind; 3] = [ContactKind::Billing, ContactKind::Operations, ContactKind::Security];

    fn aws(self) -> AlternateContactType {
        match self {
            ContactKind::Billing => AlternateContactType::Billing,
            ContactKind::Operations => AlternateContactType::Operations,
            ContactKind::Security => AlternateContactType::Security,
        }
    }

    /// What AWS sends to this contact.
    pub fn explanation(self) -> Bilingual {
        match self {
            ContactKind::Billing => Bilingual::new(
                "청구서, 결제 실패, 요금 관련 안내를 받습니다.",
                "Receives invoices, failed-payment notices and other billing messages.",
            ),
            ContactKind::Operations => Bilingual::new(
                "서비스 점검, 리전 장애, 운영에 영향을 주는 변경 안내를 받습니다.",
                "Receives notices of maintenance, Region outages and changes that affect operations.",
            ),
            ContactKind::Security => Bilingual::new(
                "키 노출 의심, 악용 신고 같은 보안 알림을 받습니다. 가장 중요한 연락처입니다.",
                "Receives security notices such as a possibly exposed key or an abuse report. The most important one.",
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct Contact {
    pub name: String,
    pub title: String,
    pub email: String,
    pub phone: String,
}

impl Contact {
    /// The Account API's documented limits.
    pub fn validate(&self) -> Result<(), Invalid> {
        let len = |s: &str| s.trim().chars().count();
        if !(1..=64).contains(&len(&self.name)) || self.name.chars().any(char::is_control) {
            return Err(Invalid::ContactName);
        }
        if !(1..=50).contains(&len(&self.title)) || self.title.chars().any(char::is_control) {
            return Err(Invalid::ContactTitle);
        }
        validation::email(self.email.trim())?;
        let phone = self.phone.trim();
        if !(1..=25).contains(&len(phone))
            || !phone.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c))
            || !phone.chars().any(|c| c.is_ascii_digit())
        {
            return Err(Invalid::ContactPhone);
        }
        Ok(())
    }
}

pub async fn get(connection: &Connection, kind: ContactKind) -> Result<Option<Contact>> {
    match connection
        .account
        .get_alternate_contact()
        .alternate_contact_type(kind.aws())
        .send()
        .await
    {
        Ok(out) => Ok(out.alternate_contact().map(|c| Contact {
            name: c.name().unwrap_or_default().to_string(),
            title: c.title().unwrap_or_default().to_string(),
            email: c.email_address().unwrap_or_default().to_string(),
            phone: c.phone_number().unwrap_or_default().to_string(),
        })),
        Err(err) => match aws_error::from_sdk(err) {
            EngineError::Aws { code, .. } if code == "ResourceNotFoundException" => Ok(None),
            other => Err(other),
        },
    }
}

pub async fn put(connection: &Connection, kind: ContactKind, contact: &Contact) -> Result<()> {
    contact.validate()?;
    connection
        .account
        .put_alternate_contact()
        .alternate_contact_type(kind.aws())
        .name(contact.name.trim())
        .title(contact.title.trim())
        .email_address(contact.email.trim())
        .phone_number(contact.phone.trim())
        .send()
        .await
        .map_err(aws_error::from_sdk)?;
    Ok(())
}

pub async fn delete(connection: &Connection, kind: ContactKind) -> Result<()> {
    let deleted = connection
        .account
        .delete_alternate_contact()
        .alternate_contact_type(kind.aws())
        .send()
        .await;
    aws_error::tolerating(deleted, &["ResourceNotFoundException"]).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact() -> Contact {
        Contact {
            name: "홍길동".into(),
            title: "Owner".into(),
            email: "owner@example.com".into(),
            phone: "+82 10-1234-5678".into(),
        }
    }

    #[test]
    fn the_documented_limits_are_enforced() {
        assert_eq!(contact().validate(), Ok(()));
        let cases: Vec<(Contact, Invalid)> = vec![
            (
                Contact {
                    name: "".into(),
                    ..contact()
                },
                Invalid::ContactName,
            ),
            (
                Contact {
                    name: "n".repeat(65),
                    ..contact()
                },
                Invalid::ContactName,
            ),
            (
                Contact {
                    title: "".into(),
                    ..contact()
                },
                Invalid::ContactTitle,
            ),
            (
                Contact {
                    title: "t".repeat(51),
                    ..contact()
                },
                Invalid::ContactTitle,
            ),
            (
                Contact {
                    email: "no-at-sign".into(),
                    ..contact()
                },
                Invalid::Email,
            ),
            (
                Contact {
                    email: format!("{}@example.com", "e".repeat(60)),
                    ..contact()
                },
                Invalid::Email,
            ),
            (
                Contact {
                    phone: "".into(),
                    ..contact()
                },
                Invalid::ContactPhone,
            ),
            (
                Contact {
                    phone: "1".repeat(26),
                    ..contact()
                },
                Invalid::ContactPhone,
            ),
            (
                Contact {
                    phone: "call me".into(),
                    ..contact()
                },
                Invalid::ContactPhone,
            ),
            (
                Contact {
                    phone: "+-()".into(),
                    ..contact()
                },
                Invalid::ContactPhone,
            ),
        ];
        for (c, expected) in cases {
            assert_eq!(c.validate(), Err(expected.clone()), "{c:?}");
        }
    }
}
