package sim

import (
	"github.com/cnie-reader/cnie-reader/reader/access/bac"
	"github.com/cnie-reader/cnie-reader/reader/access/chipauth"
	"github.com/cnie-reader/cnie-reader/reader/access/pace"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
	"github.com/cnie-reader/cnie-reader/reader/sm"
)

// getChallenge starts BAC (GET CHALLENGE, 00 84 00 00 08).
func (c *Card) getChallenge(cmd iso7816.Command) iso7816.Response {
	if !c.profile.BAC {
		return resp(iso7816.SWINSNotSupported)
	}
	if cmd.Ne != 8 {
		return resp(iso7816.SWWrongLength)
	}
	c.bacChip = bac.NewChip(c.profile.MRZInformation(), nil)
	ch := c.bacChip.GetChallenge()
	if ch == nil {
		return resp(iso7816.SWNoPreciseDiagnosis)
	}
	return iso7816.Response{Data: ch, SW: iso7816.SWOK}
}

// externalAuthenticate completes BAC.
func (c *Card) externalAuthenticate(cmd iso7816.Command) iso7816.Response {
	if c.bacChip == nil {
		return resp(iso7816.SWConditionsNotSatisfied)
	}
	out, s, err := c.bacChip.ExternalAuthenticate(cmd.Data)
	c.bacChip = nil
	if err != nil {
		return resp(0x6300)
	}
	c.session, c.granted = s, true
	return iso7816.Response{Data: out, SW: iso7816.SWOK}
}

// generalAuthenticate routes MSE and GENERAL AUTHENTICATE to PACE (before
// access control) or to Chip Authentication (under secure messaging).
func (c *Card) generalAuthenticate(cmd iso7816.Command) (iso7816.Response, *sm.Session) {
	isPACESetAT := cmd.INS == 0x22 && cmd.P1 == 0xC1 && cmd.P2 == 0xA4
	switch {
	case isPACESetAT:
		if len(c.profile.PACE) == 0 {
			return resp(iso7816.SWFuncNotSupported), nil
		}
		if c.paceChip == nil {
			pw, err := c.passwords()
			if err != nil {
				return resp(iso7816.SWNoPreciseDiagnosis), nil
			}
			chip, err := pace.NewChip(paceOffers(c.profile), pw, nil)
			if err != nil {
				return resp(iso7816.SWNoPreciseDiagnosis), nil
			}
			c.paceChip = chip
		}
		return c.paceStep(cmd)
	case c.session == nil && c.paceChip != nil:
		return c.paceStep(cmd)
	case c.session != nil && c.granted:
		if c.caChip == nil {
			if c.keys.caKey == nil {
				return resp(iso7816.SWFuncNotSupported), nil
			}
			chip, err := chipauth.NewChip(c.keys.caKey, c.profile.CA.OID, nil)
			if err != nil {
				return resp(iso7816.SWNoPreciseDiagnosis), nil
			}
			c.caChip = chip
		}
		return c.caChip.Handle(cmd)
	}
	return resp(iso7816.SWConditionsNotSatisfied), nil
}

func (c *Card) paceStep(cmd iso7816.Command) (iso7816.Response, *sm.Session) {
	r, s := c.paceChip.Handle(cmd)
	if s != nil {
		c.paceChip, c.granted = nil, true
	}
	return r, s
}

// passwords are the secrets PACE accepts on this card: the CAN and the MRZ.
func (c *Card) passwords() ([]pace.Password, error) {
	var out []pace.Password
	if c.profile.CAN != "" {
		can, err := pace.CAN(c.profile.CAN)
		if err != nil {
			return nil, err
		}
		out = append(out, can)
	}
	return append(out, pace.MRZ(c.profile.MRZInformation())), nil
}
