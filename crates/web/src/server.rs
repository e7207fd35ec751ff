//! The accept loop: HTTP/1.1 with a header-read timeout and a cap on connections served at once.
//!
//! `axum::serve` sets neither: a client sending its headers a byte at a time (or nothing at all) held its connection
//! for good, and enough of them exhausted the process's open files (`Too many open files`), making the server
//! unreachable (issue 19). Here hyper's own header-read timer closes a connection whose request head has not arrived
//! in time (it also bounds an idle kept-alive connection), and a semaphore caps the connections served at once: at
//! the cap the loop stops accepting (new clients wait in the kernel's listen queue) and says so once in the log.
//! HTTP/2 is not offered: the service is plain HTTP/1.1 behind TLS termination.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::sync::Semaphore;
use tower::Service;

use crate::state::AppState;

/// How long the in-flight requests may take to finish after the shutdown signal.
const DRAIN: Duration = Duration::from_secs(30);

/// The limit reached is logged at most this often while it lasts.
const LIMIT_LOG_EVERY: Duration = Duration::from_secs(60);

pub(crate) async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let header_read_timeout = state.config.header_read_timeout;
    let max_connections = state.config.max_connections.max(1);
    let mut make_service = crate::app(state).into_make_service_with_connect_info::<SocketAddr>();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(header_read_timeout);
    let permits = Arc::new(Semaphore::new(max_connections));
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    let mut limit_logged: Option<Instant> = None;
    loop {
        let permit = match permits.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                if limit_logged.is_none_or(|at| at.elapsed() >= LIMIT_LOG_EVERY) {
                    limit_logged = Some(Instant::now());
                    tracing::warn!(
                        max_connections,
                        "connection limit reached: new connections wait until one closes \
                     (raise max_connections together with LimitNOFILE if this is ordinary load)"
                    );
                }
                tokio::select! {
                    permit = permits.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
                    () = &mut shutdown => break,
                }
            }
        };
        let (socket, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors (EMFILE/ENFILE) or a connection reset before it was accepted: wait a
                    // little rather than spin, as axum::serve does.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = match make_service.call(remote).await {
            Ok(service) => service,
            Err(never) => match never {},
        };
        let connection = http.serve_connection(TokioIo::new(socket), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
            drop(permit);
        });
    }
    drop(listener);
    if tokio::time::timeout(DRAIN, graceful.shutdown()).await.is_err() {
        tracing::warn!("requests still running {} s after the shutdown signal were cut off", DRAIN.as_secs());
    }
    Ok(())
}
