//! A group meeting's invitation to the case's people: who may send it is a matter of the case (its handle), the
//! writing itself is the notify area's (`crate::notify::meeting_notice_in`), which knows nothing of cases.

use uuid::Uuid;

use super::CaseHandle;
use crate::notify::Meeting;
use crate::{Store, StoreError, Tx};

impl Store {
    /// A group meeting was scheduled, moved or cancelled: notifies `recipients` inside `tx` and queues an e-mail
    /// with an .ics invitation for those with an address. `meeting.uid` must stay the same for every version of one
    /// meeting and `meeting.sequence` grow with each change, so calendars update the entry instead of adding one.
    /// For the integrator: call it in the transaction that records the meeting.
    pub async fn notify_meeting_in(
        &self,
        tx: &mut Tx,
        handle: &CaseHandle,
        recipients: &[Uuid],
        meeting: &Meeting,
    ) -> Result<(), StoreError> {
        if !handle.access.works_on_case() {
            return Err(StoreError::NotFound);
        }
        // The same rule, and the same message, as the meeting record's end.
        if let Some(code) = domain::procedure::records::end_refusal(meeting.start, Some(meeting.end)) {
            return Err(StoreError::invalid("end", code));
        }
        crate::notify::meeting_notice_in(self, tx, handle.tenant_id, handle.procedure_id, recipients, meeting).await
    }

    /// [`Store::notify_meeting_in`] in a transaction of its own.
    pub async fn notify_meeting(
        &self,
        handle: &CaseHandle,
        recipients: &[Uuid],
        meeting: &Meeting,
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await?;
        self.notify_meeting_in(&mut tx, handle, recipients, meeting).await?;
        tx.commit().await
    }
}
