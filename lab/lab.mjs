// @ts-check
// The lab, by job: the machine (packages, users, the action's files), the network (namespaces, a
// WireGuard server, a private service), runner emulation (a job's files, main then post as the
// runner runs them) and observation (snapshots, command lines and environments, processes by
// namespace). Used by the end-to-end tests, the demo, the benchmark and the soak.
export * from './machine.mjs'
export * from './network.mjs'
export * from './observe.mjs'
export * from './runner.mjs'
