// A small Amazon Pay API v2 client in Java, signing the way the official Java SDK documents it
// (accept, content-type, x-amz-pay-date, x-amz-pay-host, x-amz-pay-region plus the caller's headers;
// compact date; region upper-case; PSS salt 32) and sending with java.net.http.HttpClient through
// the proxy given on the command line (as PayConfiguration.setProxySettings would), trusting what
// -Djavax.net.ssl.trustStore says (the keytool truststore `amazon-pay-mock env` prints).
//
// java SigningClient.java <proxyHost> <proxyPort> <host> <region> <publicKeyId> <privateKeyFile>
// Prints one JSON-ish line: {"create": status, "checkoutSessionId": id, "get": status}.
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.PSSParameterSpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class SigningClient {
    static final String ALGORITHM = "AMZN-PAY-RSASSA-PSS-V2";
    static String host, region, publicKeyId;
    static PrivateKey key;
    static HttpClient client;

    static String sha256Hex(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    static HttpResponse<String> call(String method, String path, String payload, Map<String, String> extra) throws Exception {
        TreeMap<String, String> headers = new TreeMap<>();
        headers.put("accept", "application/json");
        headers.put("content-type", "application/json");
        headers.put("x-amz-pay-date", ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")));
        headers.put("x-amz-pay-host", host);
        headers.put("x-amz-pay-region", region.toUpperCase());
        extra.forEach((k, v) -> headers.put(k.toLowerCase(), v.trim()));
        StringBuilder canonicalHeaders = new StringBuilder();
        headers.forEach((k, v) -> canonicalHeaders.append(k).append(':').append(v).append('\n'));
        String signedHeaders = String.join(";", headers.keySet());
        String canonical = method + "\n" + path + "\n\n" + canonicalHeaders + "\n" + signedHeaders + "\n" + sha256Hex(payload);
        String toSign = ALGORITHM + "\n" + sha256Hex(canonical);
        Signature pss = Signature.getInstance("RSASSA-PSS");
        pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        pss.initSign(key);
        pss.update(toSign.getBytes(StandardCharsets.UTF_8));
        String signature = Base64.getEncoder().encodeToString(pss.sign());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://" + host + path))
            .method(method, payload.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(payload));
        headers.forEach(request::header);
        request.header("authorization", ALGORITHM + " PublicKeyId=" + publicKeyId + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static void main(String[] args) throws Exception {
        host = args[2];
        region = args[3];
        publicKeyId = args[4];
        String pem = Files.readString(Path.of(args[5])).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        client = HttpClient.newBuilder().proxy(ProxySelector.of(new InetSocketAddress(args[0], Integer.parseInt(args[1])))).build();
        String payload = "{\"storeId\":\"amzn1.application-oa2-client.8b5e45312b5248b69eeaStoreId01\",\"webCheckoutDetails\":{\"checkoutReviewReturnUrl\":\"https://merchant.example/review\",\"checkoutResultReturnUrl\":\"https://merchant.example/result\"}}";
        HttpResponse<String> created = call("POST", "/v2/checkoutSessions", payload, Map.of("x-amz-pay-idempotency-key", UUID.randomUUID().toString().replace("-", "")));
        Matcher m = Pattern.compile("\"checkoutSessionId\"\\s*:\\s*\"([^\"]+)\"").matcher(created.body());
        if (!m.find()) throw new IllegalStateException("no checkoutSessionId in " + created.statusCode() + " " + created.body());
        String id = m.group(1);
        HttpResponse<String> fetched = call("GET", "/v2/checkoutSessions/" + id, "", Map.of());
        System.out.println("{\"create\":" + created.statusCode() + ",\"checkoutSessionId\":\"" + id + "\",\"get\":" + fetched.statusCode() + "}");
    }
}
