<?php
// A small Amazon Pay API v2 client in PHP, signing the way the official PHP SDK documents it
// (its fixed header set: accept, content-type, x-amz-pay-date, x-amz-pay-host, x-amz-pay-region,
// plus x-amz-pay-idempotency-key when given; compact date; host without port) and sending with the
// curl extension on port 443, as that SDK does. It is given no proxy setting and no CA setting:
// libcurl reads https_proxy from the environment and the CA from php.ini's curl.cainfo.
//
// php signingClient.php <host> <region> <publicKeyId> <privateKeyFile>
// Prints one JSON object: {"create": status, "checkoutSessionId": id, "get": status}.

[$script, $host, $region, $publicKeyId, $keyFile] = $argv;
$algorithm = 'AMZN-PAY-RSASSA-PSS-V2';
$key = openssl_pkey_get_private(file_get_contents($keyFile));

function mgf1(string $seed, int $length): string {
    $out = '';
    for ($counter = 0; strlen($out) < $length; $counter++) $out .= hash('sha256', $seed . pack('N', $counter), true);
    return substr($out, 0, $length);
}

// RSASSA-PSS (SHA-256, MGF1-SHA-256, 32-byte salt) from EMSA-PSS encoding and a raw RSA operation,
// since PHP's openssl_sign has no PSS mode.
function signPss(string $message, $key): string {
    $details = openssl_pkey_get_details($key);
    $modBits = $details['bits'];
    $emLen = intdiv($modBits - 1 + 7, 8);
    $mHash = hash('sha256', $message, true);
    $salt = random_bytes(32);
    $h = hash('sha256', str_repeat("\0", 8) . $mHash . $salt, true);
    $db = str_repeat("\0", $emLen - 32 - 32 - 2) . "\x01" . $salt;
    $maskedDb = $db ^ mgf1($h, $emLen - 32 - 1);
    $maskedDb[0] = chr(ord($maskedDb[0]) & (0xFF >> (8 * $emLen - ($modBits - 1))));
    $em = str_pad($maskedDb . $h . "\xbc", intdiv($modBits + 7, 8), "\0", STR_PAD_LEFT);
    openssl_private_encrypt($em, $signature, $key, OPENSSL_NO_PADDING);
    return base64_encode($signature);
}

function call(string $method, string $host, string $path, string $payload, array $extra): array {
    global $algorithm, $key, $region, $publicKeyId;
    $headers = ['accept' => 'application/json', 'content-type' => 'application/json', 'x-amz-pay-region' => $region];
    foreach ($extra as $name => $value) $headers[strtolower($name)] = $value;
    $headers['x-amz-pay-date'] = gmdate("Ymd\THis\Z");
    $headers['x-amz-pay-host'] = $host;
    ksort($headers);
    $canonicalHeaders = '';
    foreach ($headers as $name => $value) $canonicalHeaders .= "$name:$value\n";
    $signedHeaders = implode(';', array_keys($headers));
    $canonical = "$method\n$path\n\n$canonicalHeaders\n$signedHeaders\n" . hash('sha256', $payload);
    $stringToSign = "$algorithm\n" . hash('sha256', $canonical);
    $headers['authorization'] = "$algorithm PublicKeyId=$publicKeyId, SignedHeaders=$signedHeaders, Signature=" . signPss($stringToSign, $key);
    $lines = ['Expect:'];
    foreach ($headers as $name => $value) $lines[] = "$name: $value";

    $ch = curl_init("https://$host$path");
    curl_setopt($ch, CURLOPT_PORT, 443);
    curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, true);
    curl_setopt($ch, CURLOPT_SSL_VERIFYHOST, 2);
    curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);
    curl_setopt($ch, CURLOPT_CUSTOMREQUEST, $method);
    if ($payload !== '') curl_setopt($ch, CURLOPT_POSTFIELDS, $payload);
    curl_setopt($ch, CURLOPT_HTTPHEADER, $lines);
    $body = curl_exec($ch);
    if ($body === false) {
        fwrite(STDERR, 'curl: ' . curl_error($ch) . "\n");
        exit(1);
    }
    return [curl_getinfo($ch, CURLINFO_RESPONSE_CODE), json_decode($body, true)];
}

$payload = json_encode([
    'storeId' => 'amzn1.application-oa2-client.8b5e45312b5248b69eeaStoreId01',
    'webCheckoutDetails' => ['checkoutReviewReturnUrl' => 'https://merchant.example/review', 'checkoutResultReturnUrl' => 'https://merchant.example/result'],
]);
[$created, $session] = call('POST', $host, '/v2/checkoutSessions', $payload, ['x-amz-pay-idempotency-key' => bin2hex(random_bytes(16))]);
[$fetched] = call('GET', $host, '/v2/checkoutSessions/' . $session['checkoutSessionId'], '', []);
echo json_encode(['create' => $created, 'checkoutSessionId' => $session['checkoutSessionId'], 'get' => $fetched]), "\n";
