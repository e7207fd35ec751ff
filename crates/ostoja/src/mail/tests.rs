//! Against a real SMTP peer: a tiny sink on 127.0.0.1:0 that accepts every message, and a port where nothing
//! listens. Runs on the engine `OSTOJA_TEST_ENGINE` names, like the store's suite.

use std::sync::{Arc, Mutex};
use store::Caller;

use domain::clock::ManualClock;
use domain::identity::Role;
use jiff::SignedDuration;
use store::identity::{NewAccount, PersonalDetails};
use store::notify::Meeting;
use store::testing::TestDatabase;
use store::{Actor, Store};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use uuid::Uuid;

use super::{Mailer, send_due};
use crate::config::{SmtpConfig, SmtpSecurity};

const CHAIR_NAME: &str = "Zofia Żółkiewska";
const CHAIR_EMAIL: &str = "przewodniczaca@gmina.example.pl";

/// Accepts every message and keeps its DATA.
async fn smtp_sink() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let keep = received.clone();
    tokio::spawn(async move {
        loop {
            let (socket, _) = listener.accept().await.unwrap();
            let keep = keep.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                while let Ok(Some(line)) = lines.next_line().await {
                    let verb = line.split(' ').next().unwrap_or("").to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" => b"250-sink\r\n250 8BITMIME\r\n",
                        "DATA" => {
                            write.write_all(b"354 go on\r\n").await.unwrap();
                            let mut data = String::new();
                            while let Ok(Some(l)) = lines.next_line().await {
                                if l == "." {
                                    break;
                                }
                                data.push_str(&l);
                                data.push('\n');
                            }
                            keep.lock().unwrap().push(data);
                            b"250 queued\r\n"
                        }
                        "QUIT" => {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            return;
                        }
                        _ => b"250 OK\r\n",
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, received)
}

fn quoted_printable_decoded(text: &str) -> String {
    let joined = text.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn smtp(port: u16) -> SmtpConfig {
    SmtpConfig {
        host: "127.0.0.1".into(),
        port: Some(port),
        security: SmtpSecurity::None,
        username: None,
        password: None,
        password_file: None,
        from: "Ostoja <ostoja@gmina.example.pl>".into(),
    }
}

/// The demo municipality, a chair with an e-mail address, a meeting invitation to them about a demo case.
async fn setup(db: &TestDatabase) -> (Store, Uuid, Vec<String>) {
    let clock = ManualClock::at("2026-03-02T08:00:00Z".parse().unwrap());
    let store = Store::open(&db.options, Arc::new(clock.clone())).await.unwrap().with_email_outbox(true);
    crate::demo::create(&store, &clock, Some(3), None, 1).await.unwrap();
    let tenant = store.tenant_by_teryt(crate::demo::DEMO_TERYT).await.unwrap();
    let new = NewAccount {
        tenant_id: Some(tenant.id),
        institution_id: None,
        login: "przewodniczaca".into(),
        roles: vec![Role::Chair],
        details: PersonalDetails { full_name: CHAIR_NAME.into(), email: CHAIR_EMAIL.into(), phone: String::new() },
    };
    let (chair_id, _) = store.create_account(&Actor::operator(), &new).await.unwrap();
    // Art. 9c ust. 3: no case data before the confidentiality declaration is recorded.
    store::testing::sign_confidentiality(&store, chair_id).await;
    let chair = store.principal(chair_id).await.unwrap();
    let case = store.list_procedures(&chair, 1, 0).await.unwrap().remove(0);
    let handle = store.case_access(&Caller::local(&chair), case.id).await.unwrap();
    let view = store.procedure_view(&handle).await.unwrap();
    // Every name and number that must never reach an e-mail.
    let mut secrets = vec![case.number.clone(), CHAIR_NAME.to_owned(), "Żółkiewska".to_owned()];
    for form in &view.forms {
        secrets.extend(
            form.answers.iter().filter(|(k, v)| k.ends_with("_name") && v.len() > 2).map(|(_, v)| v.to_owned()),
        );
    }
    assert!(secrets.len() > 4, "the demo case's names are in the list: {}", secrets.len());
    let meeting = Meeting {
        uid: Uuid::now_v7(),
        sequence: 0,
        start: "2026-03-05T09:00:00Z".parse().unwrap(),
        end: "2026-03-05T10:30:00Z".parse().unwrap(),
        cancelled: false,
    };
    store.notify_meeting(&handle, &[chair_id], &meeting).await.unwrap();
    clock.advance(SignedDuration::from_secs(1));
    (store, case.id, secrets)
}

#[tokio::test]
async fn a_meeting_invitation_arrives_with_its_ics_and_no_personal_data() {
    let db = TestDatabase::new().await;
    let (store, case_id, secrets) = setup(&db).await;
    let (port, received) = smtp_sink().await;
    let mailer = Mailer::new(&smtp(port), "https://ostoja.gmina.example.pl").unwrap();
    let (sent, failed) = send_due(&store, &mailer).await.unwrap();
    assert_eq!((sent, failed), (1, 0));
    assert_eq!(store.outbox_counts().await.unwrap().sent, 1);

    let messages = received.lock().unwrap().clone();
    assert_eq!(messages.len(), 1);
    let message = &messages[0];
    assert!(message.contains(&format!("To: {CHAIR_EMAIL}")), "{message}");
    assert!(message.contains("https://ostoja.gmina.example.pl/notifications"), "{message}");
    assert!(message.contains("filename=\"invite.ics\"") || message.contains("filename=invite.ics"), "{message}");
    assert!(message.contains("text/calendar; charset=utf-8; method=REQUEST"), "{message}");
    // Unfold the attachment as a calendar would.
    let unfolded = message.replace("\n ", "");
    for expected in [
        "BEGIN:VCALENDAR",
        "METHOD:REQUEST",
        "DTSTART:20260305T090000Z",
        "DTEND:20260305T103000Z",
        "SEQUENCE:0",
        "SUMMARY:Posiedzenie grupy diagnostyczno-pomocowej",
        &format!("URL:https://ostoja.gmina.example.pl/procedures/{case_id}"),
    ] {
        assert!(unfolded.contains(expected), "{expected} missing:\n{message}");
    }
    // Read as a mail client would: quoted-printable decoded, so an encoded name cannot hide.
    let decoded = quoted_printable_decoded(message);
    assert!(decoded.contains("Dzień dobry"), "{decoded}");
    for secret in &secrets {
        assert!(!decoded.contains(secret.as_str()), "{secret:?} leaked into the e-mail:\n{decoded}");
    }
    assert!(message.contains("Date: Mon, 02 Mar 2026 08:00:01 +0000"), "the store's clock, not the wall clock");
    assert!(!message.contains("NK/"), "no procedure number");
}

#[tokio::test]
async fn a_refused_connection_leaves_the_email_queued_with_the_error_recorded() {
    let db = TestDatabase::new().await;
    let (store, _, _) = setup(&db).await;
    // A port where nothing listens: bound, then released.
    let port = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap().port();
    let mailer = Mailer::new(&smtp(port), "https://ostoja.gmina.example.pl").unwrap();
    let (sent, failed) = send_due(&store, &mailer).await.unwrap();
    assert_eq!((sent, failed), (0, 1));
    let counts = store.outbox_counts().await.unwrap();
    assert_eq!((counts.queued, counts.retrying, counts.failed, counts.sent), (1, 1, 0, 0), "kept, to be retried");
    let problems = store.outbox_problems(10).await.unwrap();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].attempts, 1);
    assert!(!problems[0].given_up);
    assert!(!problems[0].error.is_empty() && !problems[0].error.contains(CHAIR_EMAIL), "{:?}", problems[0]);
    // Retried after the back-off: it is still there to be sent, not lost.
    assert!(store.claim_due_emails(10).await.unwrap().is_empty(), "not before the back-off");
}
