// @ts-check
// gateway.test.mjs again, its gateways on PostgreSQL (a cluster of this file's own, lab/postgres.mjs; a
// fresh database for each gateway started on a fresh store) instead of SQLite: the same behaviour
// on both stores (issue 17).
process.env.WGT_GATEWAY_STORE = 'postgres'
await import('./gateway.test.mjs')
