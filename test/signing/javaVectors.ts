/**
 * The canonicalisation cases of the Java SDK's tst/com/amazon/pay/api/testdata.js (amzn/amazon-pay-api-sdk-java), rewritten
 * as table rows. `path` is what Java puts on the wire (its canonical URI: Java
 * encodes the path itself, and the mock takes the path exactly as sent). `params` are the
 * decoded query parameters; `canonicalQuery` and `stsHash` are the expected results; `docPrefix` is
 * a short prefix of the hash as first noted down, checked against the full hash.
 */
export interface JavaVector {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  params: [key: string, value: string][];
  canonicalQuery: string;
  stsHash: string;
  docPrefix: string;
}

const UNRESERVED = '-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const NON_UNRESERVED = '@#$%^&+=/,?><`";:\\|][{} ';
const NON_UNRESERVED_ENCODED = '%40%23%24%25%5E%26%2B%3D%2F%2C%3F%3E%3C%60%22%3B%3A%5C%7C%5D%5B%7B%7D%20';

export const javaVectors: JavaVector[] = [
  { name: 'get-vanilla', method: 'GET', path: '/', params: [], canonicalQuery: '', stsHash: 'bb49552975c396f1e49d5510e1555b8b0627dc491bc61aaefdb561f202ad8020', docPrefix: 'bb49552975c396f1' },
  { name: 'get-slashes', method: 'GET', path: '/', params: [], canonicalQuery: '', stsHash: 'bb49552975c396f1e49d5510e1555b8b0627dc491bc61aaefdb561f202ad8020', docPrefix: 'bb49552975c396f1' },
  { name: 'get-empty', method: 'GET', path: '/', params: [], canonicalQuery: '', stsHash: 'bb49552975c396f1e49d5510e1555b8b0627dc491bc61aaefdb561f202ad8020', docPrefix: 'bb49552975c396f1' },
  { name: 'get-unreserved', method: 'GET', path: `/${UNRESERVED}`, params: [], canonicalQuery: '', stsHash: 'a0e5dd63e175587f29d51c6b08be5c746a568209ac66ab1f967e0ba515aa80bc', docPrefix: 'a0e5dd63e175587f' },
  { name: 'get-vanilla-query', method: 'GET', path: '/', params: [], canonicalQuery: '', stsHash: 'bb49552975c396f1e49d5510e1555b8b0627dc491bc61aaefdb561f202ad8020', docPrefix: 'bb49552975c396f1' },
  { name: 'get-utf8', method: 'GET', path: '/%E1%88%B4', params: [], canonicalQuery: '', stsHash: '77f6544c8fb336d430895659da1e30415a1558b4b013f4d7926bb3a6275f701d', docPrefix: '77f6544c8fb336d4' },
  { name: 'get-vanilla-utf8-query', method: 'GET', path: '/', params: [['\u1234', 'bar']], canonicalQuery: '%E1%88%B4=bar', stsHash: 'ef1007307504f2ca9f0b6310b04056f5d3d6d18e7bf3d90663133f19ec132ecc', docPrefix: 'ef1007307504f2ca' },
  { name: 'post-vanilla', method: 'POST', path: '/', params: [], canonicalQuery: '', stsHash: '54156f5badd6da7fa630b2c334c808ad376530001d334ae9960457215aa626d3', docPrefix: '54156f5badd6da7f' },
  { name: 'post-vanilla-query', method: 'POST', path: '/', params: [['foo', 'bar']], canonicalQuery: 'foo=bar', stsHash: 'cc82525870b2d03666c287fd8b2c0d2fc6fa1693d9f357d27f7cac8cbcc12832', docPrefix: 'cc82525870b2d036' },
  { name: 'get-vanilla-empty-query-key', method: 'GET', path: '/', params: [['foo', 'bar']], canonicalQuery: 'foo=bar', stsHash: '6837f80baf1801c75db8119cffbadc26a89d20adb9cf3f3de4ce0fac31b4ae52', docPrefix: '6837f80baf1801c7' },
  { name: 'get-vanilla-query-order-value', method: 'GET', path: '/', params: [['foo', 'b'], ['foo', 'a']], canonicalQuery: 'foo=a&foo=b', stsHash: 'a33266ec31c7f0ca8a0738eb49fb8c81319f14374a0b86d52e6911a9748a6d42', docPrefix: 'a33266ec31c7f0ca' },
  { name: 'get-vanilla-query-order-key', method: 'GET', path: '/', params: [['a', 'foo'], ['b', 'foo']], canonicalQuery: 'a=foo&b=foo', stsHash: '6615ba7ca3734e97b35013f77c74d111ce2fa63ab52be161ad41bcd4b010120f', docPrefix: '6615ba7ca3734e97' },
  { name: 'get-vanilla-query-order-sort-by-key', method: 'GET', path: '/', params: [['A.1', 'foo'], ['A.2', 'foo'], ['A.10', 'foo']], canonicalQuery: 'A.1=foo&A.10=foo&A.2=foo', stsHash: '29d908d70c4bb50d62272976787245b52ed52e569fdae56ef3aa6d8979978ee7', docPrefix: '29d908d70c4bb50d' },
  { name: 'get-vanilla-query-order-key-case', method: 'GET', path: '/', params: [['foo', 'Zoo'], ['foo', 'aha']], canonicalQuery: 'foo=Zoo&foo=aha', stsHash: 'f379cbd2e2fc9d5d50667a07ec22996335f731b474bb8bd366647d05d958c9d5', docPrefix: 'f379cbd2e2fc9d5d' },
  { name: 'get-vanilla-query-unreserved', method: 'GET', path: '/', params: [[UNRESERVED, UNRESERVED]], canonicalQuery: `${UNRESERVED}=${UNRESERVED}`, stsHash: '892abddd6e79db3feb5695b318af639c3e863494f6b4df32ec24fff4c1562a73', docPrefix: '892abddd6e79db3f' },
  { name: 'post-vanilla-query-nonunreserved', method: 'POST', path: '/', params: [[NON_UNRESERVED, NON_UNRESERVED]], canonicalQuery: `${NON_UNRESERVED_ENCODED}=${NON_UNRESERVED_ENCODED}`, stsHash: '66bbbf2b5d6d297a9393abbc0b4f9d62e30666bb0ec0dea8f1d4e45551440e4c', docPrefix: '66bbbf2b5d6d297a' },
  { name: 'post-vanilla-query-space', method: 'POST', path: '/', params: [['f oo', 'b ar']], canonicalQuery: 'f%20oo=b%20ar', stsHash: '99be3aeb19b5a1aebafc807d59f3740d3e604ae31cf928592fa70739ea64bb32', docPrefix: '99be3aeb19b5a1ae' },
];

/** The fixed header set every Java vector signs. */
export const javaVectorHeaders = {
  accept: 'application/json',
  'content-type': 'application/json',
  'x-amz-pay-date': '20180524T223710Z',
  'x-amz-pay-host': 'pay-api.amazon.eu',
  'x-amz-pay-region': 'EU',
};
export const javaVectorSignedHeaders = 'accept;content-type;x-amz-pay-date;x-amz-pay-host;x-amz-pay-region';
