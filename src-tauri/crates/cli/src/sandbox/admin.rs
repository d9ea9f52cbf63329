//! A client of a running simulator's admin API under /sandbox/admin/ (JSON over HTTPS),
//! trusting only the CA certificate the simulator wrote into its state folder.

use std::path::Path;
use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::Value;

use super::SandboxCommandError;

/// Limit on one admin call, which normally takes milliseconds, so that a stuck simulator
/// cannot hang a script.
const ADMIN_TIMEOUT: Duration = Duration::from_secs(30);

pub struct AdminClient {
    http: reqwest::Client,
    base_url: String,
}

impl AdminClient {
    /// Builds a client for the simulator on 127.0.0.1:`port` whose state is in `state_dir`.
    pub fn new(port: u16, state_dir: &Path) -> Result<AdminClient, SandboxCommandError> {
        let ca_path = state_dir.join("ca.pem");
        let ca_pem = std::fs::read(&ca_path).map_err(|source| SandboxCommandError::CaFile {
            path: ca_path.clone(),
            source,
        })?;
        let ca = reqwest::Certificate::from_pem(&ca_pem).map_err(|source| {
            SandboxCommandError::CaInvalid {
                path: ca_path,
                source,
            }
        })?;
        let http = reqwest::Client::builder()
            .add_root_certificate(ca)
            .tls_built_in_root_certs(false)
            .timeout(ADMIN_TIMEOUT)
            .build()
            .map_err(SandboxCommandError::HttpClient)?;
        Ok(AdminClient {
            http,
            base_url: format!("https://127.0.0.1:{port}/sandbox/admin"),
        })
    }

    /// Sends one admin request and returns its JSON reply.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, SandboxCommandError> {
        let url = format!("{}{path}", self.base_url);
        let mut request = self.http.request(method, &url);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request
            .send()
            .await
            .map_err(|source| SandboxCommandError::Unreachable {
                url: url.clone(),
                source,
            })?;
        let status = response.status();
        let reply: Value =
            response
                .json()
                .await
                .map_err(|source| SandboxCommandError::BadReply {
                    url: url.clone(),
                    source,
                })?;
        if status == StatusCode::OK {
            return Ok(reply);
        }
        Err(SandboxCommandError::Rejected {
            status: status.as_u16(),
            code: reply["error"].as_str().unwrap_or("UNKNOWN").to_owned(),
            message: reply["message"].as_str().unwrap_or_default().to_owned(),
        })
    }
}
