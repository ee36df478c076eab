// vigil::alert — keeping reporters' contacts secret (docs/security.md).
//
// A reporter's phone number or address is never stored in clear:
//   - a sealed box (libsodium crypto_box_seal) to the responders' public
//     key: only the private key, kept in a file outside the database
//     (contact.key, mode 0600, ideally not on the server at all), opens it
//     (`vigil report contact R-123`, audited);
//   - a keyed BLAKE2b hash (key derived from server.key) tells reports from
//     the same contact apart from independent ones without revealing it;
//   - replies to a reporter go through the outbox sealed with a key derived
//     from server.key, which the delivery worker opens to send them.
// A stolen database alone gives none of these; server.key and the database
// together give the reply addresses of pending messages only.
//
// Files in the keys folder (`vigil keys init`): contact.pub (hex),
// contact.key (hex, 0600), server.key (hex, 0600).
//
// Thread-safety: values and pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace vigil::alert {

// What the server holds: the public key and its own secret.
struct ServerKeys {
  std::string contact_public;  // crypto_box public key (32 bytes)
  std::string hash_key;        // 32 bytes, for ContactHash
  std::string box_key;         // 32 bytes, for SealForDelivery
};

// Creates the three key files in `dir` (made 0700 if new). Fails with
// kConflict when keys are there already (never overwritten), kIo otherwise.
core::Status InitKeys(const std::string& dir);
// Reads contact.pub and server.key. kNotFound names the missing file and
// says to run `vigil keys init`; kPermissionDenied when server.key is
// readable by others.
core::Result<ServerKeys> LoadServerKeys(const std::string& dir);
// Reads contact.key (the responders' private key).
core::Result<std::string> LoadContactPrivateKey(const std::string& dir);

// "+223 70-00 00 01", "0022370000001" -> "+22370000001"; e-mail lower-cased.
std::string NormalizeContact(std::string_view contact);
// Hex keyed hash of the normalised contact.
std::string ContactHash(const ServerKeys& k, std::string_view contact);
// Sealed box of the normalised contact to the responders' key (bytes).
std::string SealContact(const ServerKeys& k, std::string_view contact);
// Opens a sealed contact. kPermissionDenied when the key does not fit.
core::Result<std::string> OpenContact(const std::string& contact_public, const std::string& contact_private,
                                      std::string_view box);
// Authenticated encryption of a recipient for the outbox, and back.
std::string SealForDelivery(const ServerKeys& k, std::string_view plain);
core::Result<std::string> OpenForDelivery(const ServerKeys& k, std::string_view box);

// HMAC-SHA256 of `message` with `key`, as lower-case hex.
std::string HmacSha256Hex(std::string_view key, std::string_view message);
// Constant-time equality.
bool SecureEquals(std::string_view a, std::string_view b);

}  // namespace vigil::alert
