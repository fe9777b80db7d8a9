// Interface names as Linux and wg-quick accept them: 1 to 15 of letters, digits and _=+.-
export const IFACE = /^[a-zA-Z0-9_=+.-]{1,15}$/
