# A small Amazon Pay API v2 client in Ruby, signing the way the official Ruby SDK documents it (every
# header it sends is signed, content-length included when there is a body, plus
# x-amz-pay-sdk-type/-version; compact date; the environment always in the path; PSS salt 32) and
# sending with Net::HTTP.start(host, 443, use_ssl: true), as that SDK does. It is given no proxy
# and no CA setting: Net::HTTP reads http_proxy from the environment (that name, even for https://
# URLs) and OpenSSL reads SSL_CERT_FILE.
#
# ruby signing_client.rb <host> <region> <publicKeyId> <privateKeyFile>
# Prints one JSON object: {"create": status, "checkoutSessionId": id, "get": status}.
require 'net/http'
require 'openssl'
require 'json'
require 'base64'
require 'securerandom'
require 'time'

HOST, REGION, PUBLIC_KEY_ID, KEY_FILE = ARGV
ALGORITHM = 'AMZN-PAY-RSASSA-PSS-V2'
KEY = OpenSSL::PKey::RSA.new(File.read(KEY_FILE))

def call(method, path, payload, extra)
  headers = extra.transform_keys(&:to_s).transform_values(&:strip)
  headers['accept'] = headers['content-type'] = 'application/json'
  headers['x-amz-pay-region'] = REGION
  headers['x-amz-pay-date'] = Time.now.utc.iso8601.delete(':-')
  headers['x-amz-pay-host'] = HOST
  headers['content-length'] = payload.bytesize.to_s unless payload.empty?
  headers['x-amz-pay-sdk-type'] = 'amazon-pay-api-sdk-ruby'
  headers['x-amz-pay-sdk-version'] = '1.2.0'
  canonical = headers.transform_keys(&:downcase).sort.to_h
  signed = canonical.keys.join(';')
  request_text = "#{method}\n#{path}\n\n#{canonical.map { |k, v| "#{k}:#{v}" }.join("\n")}\n\n#{signed}\n#{OpenSSL::Digest::SHA256.hexdigest(payload)}"
  to_sign = "#{ALGORITHM}\n#{OpenSSL::Digest::SHA256.hexdigest(request_text)}"
  signature = Base64.strict_encode64(KEY.sign_pss('SHA256', to_sign, salt_length: 32, mgf1_hash: 'SHA256'))
  headers['authorization'] = "#{ALGORITHM} PublicKeyId=#{PUBLIC_KEY_ID}, SignedHeaders=#{signed}, Signature=#{signature}"
  klass = { 'GET' => Net::HTTP::Get, 'POST' => Net::HTTP::Post }.fetch(method)
  uri = URI("https://#{HOST}#{path}")
  request = klass.new(uri)
  request.body = payload unless payload.empty?
  headers.each { |k, v| request[k] = v }
  response = Net::HTTP.start(uri.hostname, uri.port, use_ssl: true) { |http| http.request(request) }
  [response.code.to_i, response.body.to_s.empty? ? nil : JSON.parse(response.body)]
end

payload = JSON.generate({
  storeId: 'amzn1.application-oa2-client.8b5e45312b5248b69eeaStoreId01',
  webCheckoutDetails: { checkoutReviewReturnUrl: 'https://merchant.example/review', checkoutResultReturnUrl: 'https://merchant.example/result' }
})
created, session = call('POST', '/sandbox/v2/checkoutSessions', payload, { 'x-amz-pay-idempotency-key' => SecureRandom.hex(16) })
fetched, = call('GET', "/sandbox/v2/checkoutSessions/#{session['checkoutSessionId']}", '', {})
puts JSON.generate({ create: created, checkoutSessionId: session['checkoutSessionId'], get: fetched })
