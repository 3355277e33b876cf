//! Long tasks (futures, `/futures*`) and the calls that start them: user resync,
//! external users and groups, provisioning (all global-admin only).
//!
//! The sandbox has no LDAP, Azure AD or custom user source, so every such task ends
//! with Govern's error for an unconfigured source, never with a made-up success: its
//! state turns `hasResult: true` with the error (`errorType`, `message`,
//! `detailedMessage`) as `result`, after `--task-duration` (at once by default: then
//! the start answer already has it). A task belongs to the identity that started it;
//! another non-admin key gets the 404 of an unknown job. `DELETE` (abort) removes it.
use super::auth::{Principal, string_list};
use super::error::{ApiError, ApiResult};
use super::extract::{GovernJson, GovernQuery};
use super::rights::require_admin;
use super::state::AppState;
use super::store::{Db, Table};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use rand::distr::{Alphanumeric, SampleString};
use serde::Deserialize;
use serde_json::{Value, json};

type Me = Extension<Principal>;

/// The routes, relative to `/dip/publicapi`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/futures", get(list))
        .route("/futures/{job}", get(state).delete(abort))
        .route("/admin/users/actions/resync-multi", post(resync_multi))
        .route("/admin/users/{login}/actions/resync", post(resync_one))
        .route("/admin/external-groups", get(external_groups))
        .route("/admin/external-users", get(external_users))
        .route("/admin/users/actions/provision", post(provision))
}

/// The user source types Govern knows beyond local users.
const SOURCES: &[&str] = &["LDAP", "AZURE_AD", "CUSTOM"];

/// Govern's error for a task needing a user source the instance does not have.
fn unconfigured(source: &str, what: &str) -> Value {
    let short = match source {
        "LDAP" => "LDAP is not configured",
        "AZURE_AD" => "Azure AD is not configured",
        "CUSTOM" => "No custom user supplier is configured",
        _ => "No external user source is configured",
    };
    json!({
        "errorType": "com.dataiku.dip.exceptions.CodedException",
        "message": short,
        "detailedMessage": format!("Cannot {what}: {short} on this Govern instance"),
    })
}

/// Checks a `userSourceType`.
fn source(given: Option<&str>) -> ApiResult<String> {
    match given {
        Some(s) if SOURCES.contains(&s) => Ok(s.to_string()),
        Some(s) => Err(ApiError::validation(format!(
            "Invalid userSourceType '{s}': expected one of {}",
            SOURCES.join(", ")
        ))),
        None => Err(ApiError::validation(
            "Query parameter userSourceType is required",
        )),
    }
}

/// Starts the task `what`, which ends with the error of an unconfigured `source`
/// (empty: whichever source the users come from).
async fn fail_unconfigured(
    st: &AppState,
    me: &Principal,
    source: &str,
    what: String,
) -> ApiResult<Json<Value>> {
    let result = unconfigured(source, &what);
    Ok(Json(start(st, me, what, result).await?))
}

/// Stores a new task of `owner` whose result is `result`; returns its state.
async fn start(st: &AppState, owner: &Principal, label: String, result: Value) -> ApiResult<Value> {
    let now = super::now_ms();
    let ends = now + i64::try_from(st.task_duration.as_millis()).unwrap_or(i64::MAX);
    let job = json!({
        "jobId": Alphanumeric.sample_string(&mut rand::rng(), 8),
        "owner": owner.login,
        "label": label,
        "startTime": now,
        "endTime": ends,
        "result": result,
    });
    let stored = job.clone();
    st.store
        .write_async(move |db| {
            db.put(
                Table::Futures,
                stored["jobId"].as_str().unwrap_or_default(),
                &stored,
            )
        })
        .await?;
    Ok(view(&job, false))
}

/// The state Govern answers for a stored task; `peek` leaves the result out.
fn view(job: &Value, peek: bool) -> Value {
    let now = super::now_ms();
    let done = job["endTime"].as_i64().unwrap_or(0) <= now;
    let start = job["startTime"].as_i64().unwrap_or(now);
    let mut state = json!({
        "jobId": job["jobId"],
        "jobDisplayName": job["label"],
        "owner": job["owner"],
        "alive": !done,
        "hasResult": done,
        "aborted": false,
        "startTime": start,
        "runningTime": now - start,
        "progress": {"states": []},
    });
    if done && !peek {
        state["result"] = job["result"].clone();
    }
    state
}

/// The stored task `job` if `me` may see it (its owner, or an admin), else a 404.
fn visible(db: &Db, me: &Principal, job: &str) -> ApiResult<Value> {
    db.get(Table::Futures, job)?
        .filter(|j| me.admin || j["owner"] == me.login.as_str())
        .ok_or_else(|| ApiError::not_found("Future", job))
}

/// Query of `GET /futures/`.
#[derive(Deserialize)]
struct ListQuery {
    #[serde(rename = "allUsers", default)]
    all_users: Option<String>,
}

/// `GET /futures/`: the caller's tasks (every user's with `allUsers=True`, admin only),
/// as peeked states.
async fn list(
    State(st): State<AppState>,
    Extension(me): Me,
    GovernQuery(q): GovernQuery<ListQuery>,
) -> ApiResult<Json<Value>> {
    let all = q.all_users.is_some_and(|v| v.eq_ignore_ascii_case("true"));
    if all {
        require_admin(&me)?;
    }
    let jobs = st
        .store
        .read_async(|db| db.list(Table::Futures, ""))
        .await?;
    Ok(Json(Value::Array(
        jobs.iter()
            .filter(|(_, j)| all || j["owner"] == me.login.as_str())
            .map(|(_, j)| view(j, true))
            .collect(),
    )))
}

/// Query of `GET /futures/{job}`.
#[derive(Deserialize)]
struct StateQuery {
    #[serde(default)]
    peek: Option<String>,
}

/// `GET /futures/{job}?peek=`: the state, with the result unless peeking.
async fn state(
    State(st): State<AppState>,
    Extension(me): Me,
    Path(job): Path<String>,
    GovernQuery(q): GovernQuery<StateQuery>,
) -> ApiResult<Json<Value>> {
    let peek = q.peek.is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let stored = st
        .store
        .read_async(move |db| visible(db, &me, &job))
        .await?;
    Ok(Json(view(&stored, peek)))
}

/// `DELETE /futures/{job}`: aborts the task; it is gone afterwards (a 404).
async fn abort(
    State(st): State<AppState>,
    Extension(me): Me,
    Path(job): Path<String>,
) -> ApiResult<StatusCode> {
    st.store
        .write_async(move |db| {
            visible(db, &me, &job)?;
            db.delete(Table::Futures, &job).map(|_| ())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Checks that every login exists; returns them.
fn existing_users(db: &Db, logins: &[String]) -> ApiResult<()> {
    for login in logins {
        if db.get(Table::Users, login)?.is_none() {
            return Err(ApiError::not_found("User", login));
        }
    }
    Ok(())
}

/// `POST /admin/users/actions/resync-multi` (a list of logins, or no body: everyone).
async fn resync_multi(
    State(st): State<AppState>,
    Extension(me): Me,
    GovernJson(body): GovernJson<Value>,
) -> ApiResult<Json<Value>> {
    require_admin(&me)?;
    let logins = match &body {
        Value::Null => None,
        Value::Array(items) if items.iter().all(Value::is_string) => Some(string_list(&body)),
        _ => return Err(ApiError::validation("The body must be a list of logins")),
    };
    let what = match &logins {
        Some(l) => format!("resync users {}", l.join(", ")),
        None => "resync all users".to_string(),
    };
    if let Some(l) = logins.clone() {
        st.store
            .read_async(move |db| existing_users(db, &l))
            .await?;
    }
    fail_unconfigured(&st, &me, "", what).await
}

/// `POST /admin/users/{login}/actions/resync`.
async fn resync_one(
    State(st): State<AppState>,
    Extension(me): Me,
    Path(login): Path<String>,
) -> ApiResult<Json<Value>> {
    require_admin(&me)?;
    let user = vec![login.clone()];
    st.store
        .read_async(move |db| existing_users(db, &user))
        .await?;
    let what = format!("resync user {login}");
    fail_unconfigured(&st, &me, "", what).await
}

/// Query of the external users and groups calls.
#[derive(Deserialize)]
struct ExternalQuery {
    #[serde(rename = "userSourceType")]
    source: Option<String>,
}

/// `GET /admin/external-groups?userSourceType=`.
async fn external_groups(
    State(st): State<AppState>,
    Extension(me): Me,
    GovernQuery(q): GovernQuery<ExternalQuery>,
) -> ApiResult<Json<Value>> {
    fetch_external(&st, &me, q, "groups").await
}

/// `GET /admin/external-users?userSourceType=&login=&email=&groupName=`.
async fn external_users(
    State(st): State<AppState>,
    Extension(me): Me,
    GovernQuery(q): GovernQuery<ExternalQuery>,
) -> ApiResult<Json<Value>> {
    fetch_external(&st, &me, q, "users").await
}

/// Fetching the external `what` (users or groups) of a user source: admin only.
async fn fetch_external(
    st: &AppState,
    me: &Principal,
    q: ExternalQuery,
    what: &str,
) -> ApiResult<Json<Value>> {
    require_admin(me)?;
    let source = source(q.source.as_deref())?;
    let label = format!("fetch the {what} of {source}");
    fail_unconfigured(st, me, &source, label).await
}

/// Body of `POST /admin/users/actions/provision`.
#[derive(Deserialize, Default)]
struct Provision {
    #[serde(rename = "userSourceType")]
    source: Option<String>,
    #[serde(default)]
    users: Option<Vec<Value>>,
}

/// `POST /admin/users/actions/provision` (`{userSourceType, users: [...]}`).
async fn provision(
    State(st): State<AppState>,
    Extension(me): Me,
    GovernJson(body): GovernJson<Provision>,
) -> ApiResult<Json<Value>> {
    require_admin(&me)?;
    let source = source(body.source.as_deref())?;
    let Some(users) = body.users else {
        return Err(ApiError::validation(
            "users is required: a list of users to provision",
        ));
    };
    let what = format!("provision {} user(s) from {source}", users.len());
    fail_unconfigured(&st, &me, &source, what).await
}
