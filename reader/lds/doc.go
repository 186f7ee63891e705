// Package lds parses (and, for the virtual card, builds) the data
// structures of the ICAO 9303 Logical Data Structure: EF.COM,
// SecurityInfos, data groups, EF.SOD and EF.CardSecurity. Its elements are
// read with reader/ber, its signed objects with reader/cms and its object
// identifiers come from reader/oids. Every input is bounded and parsed
// defensively: it comes from a card that may be hostile.
package lds
