//! The cryptography of pushed deliveries: decryption of `{"encrypt": …}` bodies (AES-256-CBC
//! under SHA-256 of the Encrypt Key), the two request signatures (SHA-256 for events and card
//! callbacks, SHA-1 for the old card callback) and constant-time comparisons.

use std::fmt;

use aes::cipher::block_padding::Pkcs7;
use aes::cipher::{BlockModeDecrypt, KeyIvInit};
use base64::Engine as _;
use sha1::Sha1;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

const BLOCK: usize = 16;

/// Why an `encrypt` field could not be decrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecryptError {
    /// The field is not standard base64.
    Base64,
    /// Fewer bytes than an IV and one block: the ciphertext was cut short.
    Truncated { len: usize },
    /// The bytes after the IV are not a whole number of 16-byte blocks.
    Length { len: usize },
    /// The last block does not end in valid PKCS#7 padding (a wrong key, or altered bytes).
    Padding,
}

impl fmt::Display for DecryptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecryptError::Base64 => f.write_str("the encrypted body is not base64"),
            DecryptError::Truncated { len } => write!(f, "the encrypted body has {len} bytes, fewer than an IV and one block"),
            DecryptError::Length { len } => write!(f, "the ciphertext after the IV has {len} bytes, not a multiple of 16"),
            DecryptError::Padding => f.write_str("the decrypted body does not end in valid PKCS#7 padding (wrong Encrypt Key?)"),
        }
    }
}

impl std::error::Error for DecryptError {}

/// Decrypts the `encrypt` field of a delivery: base64 of IV ‖ AES-256-CBC ciphertext, the key
/// being SHA-256 of the Encrypt Key, PKCS#7 padding.
pub fn decrypt(encrypt_key: &str, encrypted: &str) -> Result<Vec<u8>, DecryptError> {
    let mut bytes = base64::engine::general_purpose::STANDARD.decode(encrypted.trim()).map_err(|_| DecryptError::Base64)?;
    if bytes.len() < 2 * BLOCK {
        return Err(DecryptError::Truncated { len: bytes.len() });
    }
    if !(bytes.len() - BLOCK).is_multiple_of(BLOCK) {
        return Err(DecryptError::Length { len: bytes.len() - BLOCK });
    }
    let key: [u8; 32] = Sha256::digest(encrypt_key.as_bytes()).into();
    let (iv, ciphertext) = bytes.split_at_mut(BLOCK);
    let iv: [u8; BLOCK] = (&*iv).try_into().map_err(|_| DecryptError::Truncated { len: BLOCK })?;
    let plain = cbc::Decryptor::<aes::Aes256>::new(&key.into(), &iv.into()).decrypt_padded::<Pkcs7>(ciphertext).map_err(|_| DecryptError::Padding)?;
    Ok(plain.to_vec())
}

/// The signature of an event or card callback: lower-case hex of
/// SHA-256(timestamp ‖ nonce ‖ Encrypt Key ‖ body as received).
pub fn event_signature(timestamp: &str, nonce: &str, encrypt_key: &str, body: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(timestamp.as_bytes());
    h.update(nonce.as_bytes());
    h.update(encrypt_key.as_bytes());
    h.update(body);
    hex(&h.finalize())
}

/// The signature of the old card callback: lower-case hex of
/// SHA-1(timestamp ‖ nonce ‖ Verification Token ‖ body as received).
pub fn card_v1_signature(timestamp: &str, nonce: &str, verification_token: &str, body: &[u8]) -> String {
    let mut h = Sha1::new();
    h.update(timestamp.as_bytes());
    h.update(nonce.as_bytes());
    h.update(verification_token.as_bytes());
    h.update(body);
    hex(&h.finalize())
}

/// Whether a received hex signature is `expected` (lower-case hex), ignoring the case of the
/// received one, in time independent of where they differ.
pub(crate) fn signature_matches(expected: &str, received: &str) -> bool {
    let received = received.trim().to_ascii_lowercase();
    expected.as_bytes().ct_eq(received.as_bytes()).into()
}

/// Whether two secrets are equal, in time independent of where they differ.
pub(crate) fn secret_matches(expected: &str, received: &str) -> bool {
    expected.as_bytes().ct_eq(received.as_bytes()).into()
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_vector_decrypts() {
        let plain = decrypt("test key", "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=");
        assert_eq!(plain.as_deref(), Ok(&b"hello world"[..]));
    }

    #[test]
    fn another_key_fails_on_padding_or_yields_other_bytes() {
        assert_ne!(decrypt("other key", "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=").ok().as_deref(), Some(&b"hello world"[..]));
    }

    #[test]
    fn malformed_ciphertexts_are_told_apart() {
        assert_eq!(decrypt("k", "not base64!"), Err(DecryptError::Base64));
        let b64 = |n: usize| base64::engine::general_purpose::STANDARD.encode(vec![7u8; n]);
        assert_eq!(decrypt("k", &b64(20)), Err(DecryptError::Truncated { len: 20 }));
        assert_eq!(decrypt("k", &b64(40)), Err(DecryptError::Length { len: 24 }));
        assert_eq!(decrypt("k", ""), Err(DecryptError::Truncated { len: 0 }));
    }

    #[test]
    fn signatures_are_lower_case_hex_and_compared_without_case() {
        // SHA-256("") and SHA-1("") are well known.
        assert_eq!(event_signature("", "", "", b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(card_v1_signature("", "", "", b""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        let s = event_signature("1", "n", "key", b"{}");
        assert!(signature_matches(&s, &s.to_ascii_uppercase()));
        assert!(!signature_matches(&s, &s[1..]));
        assert!(!signature_matches(&s, ""));
    }
}
