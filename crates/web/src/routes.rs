//! The route table: every (method, path pattern) the router registers, pages and API, recorded while the router is
//! built, so that the authorization test walks every route and fails when one is added without an expectation.

use axum::Router;
use axum::routing::MethodRouter;

use crate::AppState;

/// One registered route: an HTTP method and the path pattern as given to the router (`/procedures/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Route {
    pub method: String,
    pub path: String,
}

/// A router and the list of what it registers, built together so they cannot disagree.
#[derive(Default)]
pub struct Routes {
    router: Router<AppState>,
    table: Vec<Route>,
}

impl Routes {
    pub fn new() -> Self {
        Self::default()
    }

    /// As [`Router::route`], recording the methods `method_router` answers.
    pub fn route(mut self, path: &str, method_router: MethodRouter<AppState>) -> Self {
        self.table.extend(methods_of(&method_router).into_iter().map(|method| Route { method, path: path.to_owned() }));
        self.router = self.router.route(path, method_router);
        self
    }

    /// As [`Router::merge`].
    pub fn merge(mut self, other: Routes) -> Self {
        self.table.extend(other.table);
        self.router = self.router.merge(other.router);
        self
    }

    /// The JSON API's router with its table read from the OpenAPI document the same `routes!` declarations built.
    pub fn api(router: Router<AppState>, openapi: &utoipa::openapi::OpenApi) -> Self {
        let mut table = Vec::new();
        for (path, item) in &openapi.paths.paths {
            let operations = [
                ("GET", &item.get),
                ("POST", &item.post),
                ("PUT", &item.put),
                ("PATCH", &item.patch),
                ("DELETE", &item.delete),
            ];
            for (method, op) in operations {
                if op.is_some() {
                    table.push(Route { method: method.to_owned(), path: path.clone() });
                }
            }
        }
        Self { router, table }
    }

    pub fn table(&self) -> &[Route] {
        &self.table
    }

    pub fn into_parts(self) -> (Router<AppState>, Vec<Route>) {
        (self.router, self.table)
    }
}

/// The methods a method router answers. axum keeps them private but spells its `Allow` header in its `Debug` form
/// (`allow_header: Bytes(b"GET,HEAD,POST")`); HEAD comes with GET and is left out. The unit test below fails if a
/// new axum spells it otherwise.
fn methods_of(method_router: &MethodRouter<AppState>) -> Vec<String> {
    let debug = format!("{method_router:?}");
    let Some(start) = debug.find("allow_header: Bytes(b\"") else { return Vec::new() };
    let rest = &debug[start + "allow_header: Bytes(b\"".len()..];
    let allow = rest.split('"').next().unwrap_or_default();
    allow.split(',').filter(|m| !m.is_empty() && *m != "HEAD").map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use axum::routing::{delete, get, post};

    use super::*;

    #[test]
    fn the_table_lists_each_method_of_each_route() {
        let routes = Routes::new()
            .route("/a", get(|| async {}).post(|| async {}))
            .merge(Routes::new().route("/b/{id}", post(|| async {})).route("/c", delete(|| async {})));
        let mut table: Vec<(String, String)> =
            routes.table().iter().map(|r| (r.method.clone(), r.path.clone())).collect();
        table.sort();
        let expected = [("DELETE", "/c"), ("GET", "/a"), ("POST", "/a"), ("POST", "/b/{id}")]
            .map(|(m, p)| (m.to_owned(), p.to_owned()));
        assert_eq!(table, expected);
    }
}
