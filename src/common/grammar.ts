// Interface names as Linux accepts them: 1 to 15 of letters, digits and _=+.-, and not one that
// `ip` or wireguard-go would read as an option (a leading -) or a path (`.`, `..`).
export const IFACE = /^(?!-)(?!\.{1,2}$)[a-zA-Z0-9_=+.-]{1,15}$/
