//! AES-256-GCM with the 32-byte nonce sops writes (spec §2, §19).

use aes_gcm::aead::consts::{U12, U32};
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::aes::Aes256;
use aes_gcm::{AesGcm, Nonce};
use zeroize::Zeroizing;

use crate::sops::enc::EncValue;

/// The AES-256-GCM variant sops uses: 32-byte nonces.
type Gcm32 = AesGcm<Aes256, U32>;
/// The standard 12-byte nonce variant (accepted on read, as sops accepts any nonce length).
type Gcm12 = AesGcm<Aes256, U12>;

/// A 32-byte data key, wiped when dropped.
pub type DataKey = Zeroizing<[u8; 32]>;

/// Why a value did not open: the tag did not verify under this key and AAD (tampered, moved under
/// another key, or encrypted with another file's data key).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuthFailed;

/// Open one `ENC[...]` value with the data key and the AAD of its position. The plaintext is returned
/// in a buffer that is wiped when dropped.
pub fn open(
    key: &[u8; 32],
    value: &EncValue,
    aad: &[u8],
) -> Result<Zeroizing<Vec<u8>>, AuthFailed> {
    let mut msg = Vec::with_capacity(value.data.len() + value.tag.len());
    msg.extend_from_slice(&value.data);
    msg.extend_from_slice(&value.tag);
    let payload = Payload { msg: &msg, aad };
    let out = match value.iv.len() {
        32 => Gcm32::new(key.into()).decrypt(Nonce::<U32>::from_slice(&value.iv), payload),
        12 => Gcm12::new(key.into()).decrypt(Nonce::<U12>::from_slice(&value.iv), payload),
        _ => return Err(AuthFailed),
    };
    out.map(Zeroizing::new).map_err(|_| AuthFailed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sops::enc;

    const KAT: &str = "ENC[AES256_GCM,data:oYyi,iv:MyIDYbT718JRr11QtBkcj3Dwm4k1aCGZBVeZf0EyV8o=,tag:t5z2Z023Up0kxwCgw1gNxg==,type:str]";

    #[test]
    fn opens_the_sops_known_answer_vector() {
        let v = enc::parse(KAT).unwrap();
        let key = [b'f'; 32];
        assert_eq!(open(&key, &v, b"bar:").unwrap().as_slice(), b"foo");
    }

    #[test]
    fn rejects_wrong_aad_wrong_key_and_flipped_bits() {
        let v = enc::parse(KAT).unwrap();
        let key = [b'f'; 32];
        assert_eq!(open(&key, &v, b""), Err(AuthFailed));
        assert_eq!(open(&key, &v, b"baz:"), Err(AuthFailed));
        assert_eq!(open(&[b'g'; 32], &v, b"bar:"), Err(AuthFailed));
        let mut w = v.clone();
        w.data[0] ^= 1;
        assert_eq!(open(&key, &w, b"bar:"), Err(AuthFailed));
        let mut w = v;
        w.tag[15] ^= 0x80;
        assert_eq!(open(&key, &w, b"bar:"), Err(AuthFailed));
    }
}
