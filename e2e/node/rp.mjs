// A relying party as a Node.js service writes it with the npm openid-client
// library, knowing nothing of cards. e2e/oidc_node_test.go drives it through
// stdin and stdout, one JSON object a line:
//
//   in:  the settings {issuer, client_id, auth, client_secret | private_jwk,
//        redirect_uri, acr_values, signed_userinfo, tamper}
//   out: {authorization_url}   (the test's browser follows it)
//   in:  the callback URL the browser was sent back to
//   out: {ok: true, id_token_header, id_token_claims, userinfo, userinfo_content_type}
//        or {ok: false, error: {name, code, error, message}}
//
// tamper asks for one thing to go wrong on the relying party's side:
// "code_verifier" (another PKCE verifier at the token endpoint),
// "id_token_signature" or "userinfo_signature" (one bit of the signature
// flipped in the provider's response, as a man in the middle would).

import { webcrypto } from 'node:crypto'
import { createInterface } from 'node:readline'

// Node 18 (Debian 12's) lacks the CryptoKey global that openid-client
// checks keys against: install WebCrypto's before loading the libraries.
globalThis.crypto ??= webcrypto
globalThis.CryptoKey ??= webcrypto.CryptoKey

const client = await import('openid-client')
const jose = await import('jose')

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]()

async function readLine () {
  const { value, done } = await lines.next()
  if (done) throw new Error('stdin closed before the expected line')
  return value
}

function write (obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

// flipSignatureBit changes one bit of a compact JWS's signature.
function flipSignatureBit (jws) {
  const [head, payload, sig] = jws.split('.')
  const bytes = Buffer.from(sig, 'base64url')
  bytes[0] ^= 0x01
  return [head, payload, bytes.toString('base64url')].join('.')
}

// replaceBody is response with another body of the same type.
function replaceBody (response, body) {
  const headers = new Headers(response.headers)
  headers.delete('content-length')
  return new Response(body, { status: response.status, headers })
}

function headerOf (jws) {
  return JSON.parse(Buffer.from(jws.split('.')[0], 'base64url').toString('utf8'))
}

async function clientAuth (settings) {
  switch (settings.auth) {
    case 'client_secret_post':
      return client.ClientSecretPost(settings.client_secret)
    case 'private_key_jwt': {
      const key = await jose.importJWK(settings.private_jwk, 'ES256')
      return client.PrivateKeyJwt({ key, kid: settings.private_jwk.kid })
    }
    default:
      throw new Error(`unknown client authentication ${settings.auth}`)
  }
}

async function main () {
  const settings = JSON.parse(await readLine())
  const metadata = { id_token_signed_response_alg: 'ES256' }
  if (settings.signed_userinfo) metadata.userinfo_signed_response_alg = 'ES256'
  const config = await client.discovery(new URL(settings.issuer), settings.client_id, metadata,
    await clientAuth(settings), {
      // The test's provider listens on plain http on loopback.
      execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks]
    })
  const seen = {}
  const endpoints = config.serverMetadata()
  config[client.customFetch] = async (url, options) => {
    const response = await fetch(url, options)
    if (url === endpoints.userinfo_endpoint) seen.userinfoType = response.headers.get('content-type')
    if (url === endpoints.token_endpoint && settings.tamper === 'id_token_signature' && response.ok) {
      const body = await response.json()
      body.id_token = flipSignatureBit(body.id_token)
      return replaceBody(response, JSON.stringify(body))
    }
    if (url === endpoints.userinfo_endpoint && settings.tamper === 'userinfo_signature' && response.ok) {
      return replaceBody(response, flipSignatureBit(await response.text()))
    }
    return response
  }

  const codeVerifier = client.randomPKCECodeVerifier()
  const state = client.randomState()
  const nonce = client.randomNonce()
  const authorizationURL = client.buildAuthorizationUrl(config, {
    redirect_uri: settings.redirect_uri,
    scope: 'openid identite_pivot',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    acr_values: settings.acr_values
  })
  write({ authorization_url: authorizationURL.href })

  const callback = new URL((await readLine()).trim())
  const tokens = await client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: settings.tamper === 'code_verifier' ? client.randomPKCECodeVerifier() : codeVerifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: true
  })
  const idClaims = tokens.claims()
  const userinfo = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub)
  write({
    ok: true,
    id_token_header: headerOf(tokens.id_token),
    id_token_claims: idClaims,
    userinfo,
    userinfo_content_type: seen.userinfoType ?? ''
  })
}

// described is an error as openid-client raised it, with what caused it
// (a failed signature check comes from jose, wrapped).
function described (err) {
  const d = {
    name: err?.name ?? '',
    code: err?.code ?? '',
    error: err?.error ?? '',
    message: String(err?.message ?? err)
  }
  if (err?.cause instanceof Error) d.cause = described(err.cause)
  return d
}

try {
  await main()
} catch (err) {
  // What openid-client said: the test checks the error, not only that
  // something failed.
  write({ ok: false, error: described(err) })
}
process.exit(0)
