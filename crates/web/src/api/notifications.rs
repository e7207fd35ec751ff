//! The account's notifications over the API: the same list as the page, and "mark all read".

use axum::Json;
use axum::extract::State;
use domain::identity::Permission;
use serde::Serialize;
use utoipa::ToSchema;

use super::ApiUser;
use crate::error::{ApiError, ApiErrorBody};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct NotificationDto {
    pub id: String,
    /// group_appointed, meeting_scheduled, meeting_cancelled, deadline_due_soon, deadline_overdue
    pub kind: String,
    /// The case it concerns, if any.
    pub procedure_id: Option<String>,
    pub procedure_number: Option<String>,
    /// Whether the caller may still open the case.
    pub procedure_accessible: bool,
    /// For deadline notifications: the deadline rule.
    pub rule_id: Option<String>,
    pub created_at: String,
    pub read: bool,
}

#[derive(Serialize, ToSchema)]
pub struct MarkedRead {
    /// How many notifications were unread.
    pub marked: u64,
}

/// The caller's notifications, newest first (at most 100). No personal data.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications",
    responses((status = 200, body = Vec<NotificationDto>), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub async fn list(State(state): State<AppState>, user: ApiUser) -> Result<Json<Vec<NotificationDto>>, ApiError> {
    user.require(Permission::ViewOwnAccount)?;
    let rows = crate::notify::with_access(&state, &user.principal).await?;
    Ok(Json(
        rows.into_iter()
            .map(|(n, accessible)| NotificationDto {
                id: n.id.to_string(),
                kind: n.kind.as_str().to_owned(),
                procedure_id: n.procedure_id.map(|id| id.to_string()),
                procedure_number: n.procedure_number,
                procedure_accessible: accessible,
                rule_id: n.rule_id,
                created_at: n.created_at.to_string(),
                read: n.read,
            })
            .collect(),
    ))
}

/// Marks all of the caller's notifications read.
#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "notifications",
    responses((status = 200, body = MarkedRead), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub async fn mark_read(State(state): State<AppState>, user: ApiUser) -> Result<Json<MarkedRead>, ApiError> {
    user.require(Permission::ViewOwnAccount)?;
    let marked = state.store.mark_notifications_read(&user.principal).await?;
    Ok(Json(MarkedRead { marked }))
}
