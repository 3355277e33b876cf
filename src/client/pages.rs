//! Custom pages: the display order, the one call of the family that is no declared
//! resource (the pages themselves are `ADMIN_CUSTOM_PAGES` and `CUSTOM_PAGES`, see
//! [`crate::protocol::resources`]).
use super::{GovernClient, Request, Result};
use serde_json::Value;

/// The order's path (beside `/admin/custom-page/{id}`, singular: no page).
const ORDER: &str = "/admin/custom-pages/order";

impl GovernClient {
    /// `GET /admin/custom-pages/order`: the page ids in display order.
    pub async fn get_custom_pages_order(&self) -> Result<Vec<Value>> {
        self.perform_list(Request::get(ORDER)).await
    }

    /// `PUT /admin/custom-pages/order` with every page id in the new order; returns the
    /// order as saved.
    pub async fn save_custom_pages_order(&self, order: Value) -> Result<Vec<Value>> {
        self.perform_list(Request::put(ORDER).body(order)).await
    }
}
