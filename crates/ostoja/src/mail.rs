//! Notification e-mails over SMTP. An e-mail says only that there is something new to see in Ostoja, with a link to
//! /notifications: never a name, never a procedure number, nothing personal, because e-mail leaves the
//! municipality's control (forwarding, shared mailboxes, phones left unlocked). A meeting invitation adds an .ics
//! with the meeting's times, a fixed summary and a link to the case page by its id.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use store::notify::OutgoingEmail;

use crate::config::{SmtpConfig, SmtpSecurity};

pub const SUBJECT: &str = "Ostoja: nowe powiadomienie / new notification";
/// The calendar entry's title: the kind of meeting, nothing about the case.
pub const MEETING_SUMMARY: &str = "Posiedzenie grupy diagnostyczno-pomocowej";

/// A configured SMTP sender.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    public_url: String,
}

impl Mailer {
    pub fn new(config: &SmtpConfig, public_url: &str) -> anyhow::Result<Mailer> {
        let builder = match config.security {
            SmtpSecurity::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&config.host)?,
            SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&config.host)?,
            SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host),
        };
        let mut builder = builder.port(config.port()).timeout(Some(Duration::from_secs(30)));
        if let (Some(user), Some(password)) = (&config.username, &config.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.expose().to_owned()));
        }
        Ok(Mailer {
            transport: builder.build(),
            from: config.from.parse()?,
            public_url: public_url.trim_end_matches('/').to_owned(),
        })
    }

    /// The message for one outbox row.
    pub fn message(&self, email: &OutgoingEmail, now: jiff::Timestamp) -> anyhow::Result<Message> {
        let to: Mailbox = email.to.parse()?;
        let link = format!("{}/notifications", self.public_url);
        let mut body = format!(
            "Dzień dobry,\n\nw systemie Ostoja jest nowa informacja do przejrzenia:\n{link}\n\n\
             Ze względu na ochronę danych wiadomość nie zawiera szczegółów; zobaczysz je po zalogowaniu.\n\n\
             There is something new to see in Ostoja: {link}\n(no details by e-mail, for data protection)\n\n\
             -- \nWiadomość wysłana automatycznie przez system Ostoja.\n"
        );
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to.clone())
            .subject(SUBJECT)
            .date(std::time::SystemTime::from(now));
        let Some(meeting) = &email.meeting else {
            return Ok(builder.header(ContentType::TEXT_PLAIN).body(body)?);
        };
        let url = email.procedure_id.map_or_else(|| link.clone(), |id| format!("{}/procedures/{id}", self.public_url));
        let invitation = domain::ics::Invitation {
            uid: meeting.uid,
            sequence: meeting.sequence,
            start: meeting.start,
            end: meeting.end,
            stamp: now,
            summary: MEETING_SUMMARY,
            url: &url,
            organizer: self.from.email.as_ref(),
            attendee: to.email.as_ref(),
            cancelled: meeting.cancelled,
        };
        body.insert_str(
            0,
            if meeting.cancelled {
                "[odwołanie / cancellation: invite.ics]\n\n"
            } else {
                "[zaproszenie / invitation: invite.ics]\n\n"
            },
        );
        let calendar = ContentType::parse(&format!("text/calendar; charset=utf-8; method={}", invitation.method()))?;
        let multipart = MultiPart::mixed()
            .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(body))
            .singlepart(Attachment::new("invite.ics".to_owned()).body(invitation.to_ics(), calendar));
        Ok(builder.multipart(multipart)?)
    }

    pub async fn send(&self, message: Message) -> Result<(), String> {
        // lettre's errors name the server and the SMTP reply, never the credentials.
        self.transport.send(message).await.map(|_| ()).map_err(|e| e.to_string())
    }
}

/// Sends every due e-mail once: sent ones are marked sent, failures recorded and retried later with back-off.
/// Returns (sent, failed).
pub async fn send_due(store: &store::Store, mailer: &Mailer) -> Result<(usize, usize), store::StoreError> {
    let mut sent = 0;
    let mut failed = 0;
    loop {
        let batch = store.claim_due_emails(50).await?;
        if batch.is_empty() {
            return Ok((sent, failed));
        }
        for email in batch {
            let outcome = match mailer.message(&email, store.now()) {
                Ok(message) => mailer.send(message).await,
                Err(e) => Err(format!("building the message: {e}")),
            };
            match outcome {
                Ok(()) => {
                    store.email_sent(email.id).await?;
                    sent += 1;
                }
                Err(error) => {
                    // An SMTP reply may quote the recipient ("550 <x@y>: unknown user"): keep it out of logs.
                    let error = error.replace(&email.to, "[recipient]");
                    tracing::warn!(email = %email.id, attempt = email.attempts + 1, %error, "sending a notification e-mail failed; it stays queued");
                    store.email_failed(email.id, &error).await?;
                    failed += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
