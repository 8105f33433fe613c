//! The rules: stable ids, what each one finds, and the literal anchors the prefilter looks for.

/// A detection rule. The id is what findings, baselines and the documentation use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// A PEM private key: PKCS#1 (RSA/DSA/EC), PKCS#8 (plain or encrypted), OpenSSH, SSH2; raw,
    /// indented, CRLF, `\n`-escaped in a JSON or code string, or base64-encoded (Kubernetes secrets,
    /// kubeconfig `client-key-data`).
    PrivateKey,
    /// An armored OpenPGP secret key (`-----BEGIN PGP PRIVATE KEY BLOCK-----`).
    PgpPrivateKey,
    /// A PuTTY private key file (`PuTTY-User-Key-File-2` or `-3`).
    PuttyPrivateKey,
    /// An age identity (`AGE-SECRET-KEY-1...` with a valid bech32 checksum).
    AgeSecretKey,
    /// A JSON Web Key with private material (`"kty"` and `"d"`, or `"k"` for symmetric keys).
    JwkPrivateKey,
    /// A GitHub token (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`).
    GithubToken,
    /// An AWS access key id next to its 40-character secret access key (a key pair).
    AwsAccessKey,
    /// An AWS secret access key assigned to a `secret_access_key` name.
    AwsSecretAccessKey,
    /// A Slack token (`xoxb-`, `xoxp-`, `xapp-`, ...).
    SlackToken,
    /// A Slack incoming-webhook URL.
    SlackWebhook,
    /// A Stripe secret or restricted key (`sk_live_`, `rk_test_`, ...).
    StripeSecretKey,
    /// A Google API key (`AIza...`).
    GoogleApiKey,
    /// A GitHub App webhook secret assigned in clear text (pangeo-forge `github_app.webhook_secret`).
    PangeoForgeWebhookSecret,
    /// A `PANGEO_FORGE_API_KEY` assigned in clear text.
    PangeoForgeApiKey,
    /// A key container found by its name (`.p12`, `.pfx`, `.jks`, `id_rsa`, ...).
    KeyContainer,
}

impl Rule {
    /// Every rule, in documentation order.
    pub const ALL: [Rule; 15] = [
        Rule::PrivateKey,
        Rule::PgpPrivateKey,
        Rule::PuttyPrivateKey,
        Rule::AgeSecretKey,
        Rule::JwkPrivateKey,
        Rule::GithubToken,
        Rule::AwsAccessKey,
        Rule::AwsSecretAccessKey,
        Rule::SlackToken,
        Rule::SlackWebhook,
        Rule::StripeSecretKey,
        Rule::GoogleApiKey,
        Rule::PangeoForgeWebhookSecret,
        Rule::PangeoForgeApiKey,
        Rule::KeyContainer,
    ];

    /// The stable id (`private-key`, `age-secret-key`, ...).
    pub fn id(self) -> &'static str {
        match self {
            Rule::PrivateKey => "private-key",
            Rule::PgpPrivateKey => "pgp-private-key",
            Rule::PuttyPrivateKey => "putty-private-key",
            Rule::AgeSecretKey => "age-secret-key",
            Rule::JwkPrivateKey => "jwk-private-key",
            Rule::GithubToken => "github-token",
            Rule::AwsAccessKey => "aws-access-key",
            Rule::AwsSecretAccessKey => "aws-secret-access-key",
            Rule::SlackToken => "slack-token",
            Rule::SlackWebhook => "slack-webhook",
            Rule::StripeSecretKey => "stripe-secret-key",
            Rule::GoogleApiKey => "google-api-key",
            Rule::PangeoForgeWebhookSecret => "pangeo-forge-webhook-secret",
            Rule::PangeoForgeApiKey => "pangeo-forge-api-key",
            Rule::KeyContainer => "key-container",
        }
    }

    /// The rule with this id.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == id)
    }
}

/// Which validator an anchor hands its hit to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Family {
    Pem,
    Base64Pem,
    Putty,
    Age,
    Jwk,
    Github,
    AwsId,
    AwsSecret,
    Slack,
    SlackWebhook,
    Stripe,
    Google,
    WebhookSecret,
    ApiKey,
}

/// Every literal the prefilter searches for, with the validator it feeds. Case-sensitive: keyword
/// spellings are listed one by one, so one automaton serves every rule.
pub(crate) const ANCHORS: &[(&str, Family)] = &[
    ("PRIVATE KEY", Family::Pem),
    ("LS0tLS1CRUdJTi", Family::Base64Pem),
    ("PuTTY-User-Key-File-", Family::Putty),
    ("AGE-SECRET-KEY-1", Family::Age),
    ("\"kty\"", Family::Jwk),
    ("\\\"kty\\\"", Family::Jwk),
    ("ghp_", Family::Github),
    ("gho_", Family::Github),
    ("ghu_", Family::Github),
    ("ghs_", Family::Github),
    ("ghr_", Family::Github),
    ("github_pat_", Family::Github),
    ("AKIA", Family::AwsId),
    ("ASIA", Family::AwsId),
    ("ABIA", Family::AwsId),
    ("ACCA", Family::AwsId),
    ("A3T", Family::AwsId),
    ("secret_access_key", Family::AwsSecret),
    ("SECRET_ACCESS_KEY", Family::AwsSecret),
    ("SecretAccessKey", Family::AwsSecret),
    ("secretAccessKey", Family::AwsSecret),
    ("xoxb-", Family::Slack),
    ("xoxp-", Family::Slack),
    ("xoxa-", Family::Slack),
    ("xoxr-", Family::Slack),
    ("xoxs-", Family::Slack),
    ("xoxe-", Family::Slack),
    ("xoxe.", Family::Slack),
    ("xapp-", Family::Slack),
    ("hooks.slack.com/services/", Family::SlackWebhook),
    ("sk_live_", Family::Stripe),
    ("sk_test_", Family::Stripe),
    ("rk_live_", Family::Stripe),
    ("rk_test_", Family::Stripe),
    ("AIza", Family::Google),
    ("webhook_secret", Family::WebhookSecret),
    ("WEBHOOK_SECRET", Family::WebhookSecret),
    ("webhookSecret", Family::WebhookSecret),
    ("WebhookSecret", Family::WebhookSecret),
    ("webhook-secret", Family::WebhookSecret),
    ("PANGEO_FORGE_API_KEY", Family::ApiKey),
];
