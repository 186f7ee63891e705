package pivot

import "github.com/cnie-reader/cnie-reader/assertion/verifier"

// The acr values this provider issues. Each says exactly what was proven;
// none claims an eIDAS level of assurance (no eidas1, eidas2 or eidas3):
// no conformity assessment stands behind them.
const (
	// ACRChipPresent: the data are signed by the State (passive
	// authentication against a real CSCA of the service's trust store) and
	// the chip itself signed this login's challenge (Active
	// Authentication): the card was there, for this login only.
	ACRChipPresent = "urn:cnie-reader:acr:chip-genuine-present"
	// ACRChipNoPresence: the data are signed by the State, but the chip has
	// no Active Authentication: a copy of the data cannot be told from the
	// card. Services should refuse it for login.
	ACRChipNoPresence = "urn:cnie-reader:acr:chip-genuine-no-presence"
	// ACRDemoPresent and ACRDemoNoPresence are the same for the virtual
	// card, whose data chain to a DEMO CSCA: never a real person.
	ACRDemoPresent    = "urn:cnie-reader:acr:demo-chip-present"
	ACRDemoNoPresence = "urn:cnie-reader:acr:demo-chip-no-presence"
)

// ACRValues lists the acr values, strongest first (for the provider's
// acr_values_supported).
func ACRValues() []string {
	return []string{ACRChipPresent, ACRChipNoPresence, ACRDemoPresent, ACRDemoNoPresence}
}

// ACR says what a verified result proves; "" for nil or a result whose
// chip presence is neither proven nor known to be unprovable.
func ACR(r *verifier.Result) string {
	if r == nil {
		return ""
	}
	switch {
	case r.ChipPresence == verifier.ChipPresent && !r.Demo:
		return ACRChipPresent
	case r.ChipPresence == verifier.ChipNotProvable && !r.Demo:
		return ACRChipNoPresence
	case r.ChipPresence == verifier.ChipPresent:
		return ACRDemoPresent
	case r.ChipPresence == verifier.ChipNotProvable:
		return ACRDemoNoPresence
	}
	return ""
}

// ForLogin tells whether an acr value proves the card was there: only
// those may log a person in.
func ForLogin(acr string) bool { return acr == ACRChipPresent || acr == ACRDemoPresent }

// AMR lists the authentication methods (RFC 8176): a smart card ("sc")
// whose hardware-held key signed this login ("hwk"), only when the chip
// signed; nil otherwise (reading data proves no possession).
func AMR(r *verifier.Result) []string {
	if r == nil || r.ChipPresence != verifier.ChipPresent {
		return nil
	}
	return []string{"sc", "hwk"}
}
