package server

import (
	"crypto/tls"
	"errors"
	"strings"
)

// tlsCipherNames maps OpenSSL's TLS 1.2 cipher names to Go's suites, in
// the preference order used when a keyword selects several.
var tlsCipherNames = []struct {
	name string
	id   uint16
}{
	{"ECDHE-ECDSA-AES256-GCM-SHA384", tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384},
	{"ECDHE-RSA-AES256-GCM-SHA384", tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384},
	{"ECDHE-ECDSA-CHACHA20-POLY1305", tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256},
	{"ECDHE-RSA-CHACHA20-POLY1305", tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256},
	{"ECDHE-ECDSA-AES128-GCM-SHA256", tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256},
	{"ECDHE-RSA-AES128-GCM-SHA256", tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256},
	{"ECDHE-ECDSA-AES128-SHA256", tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256},
	{"ECDHE-RSA-AES128-SHA256", tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256},
	{"ECDHE-ECDSA-AES256-SHA", tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA},
	{"ECDHE-RSA-AES256-SHA", tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA},
	{"ECDHE-ECDSA-AES128-SHA", tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA},
	{"ECDHE-RSA-AES128-SHA", tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA},
	{"AES256-GCM-SHA384", tls.TLS_RSA_WITH_AES_256_GCM_SHA384},
	{"AES128-GCM-SHA256", tls.TLS_RSA_WITH_AES_128_GCM_SHA256},
	{"AES128-SHA256", tls.TLS_RSA_WITH_AES_128_CBC_SHA256},
	{"AES256-SHA", tls.TLS_RSA_WITH_AES_256_CBC_SHA},
	{"AES128-SHA", tls.TLS_RSA_WITH_AES_128_CBC_SHA},
	{"ECDHE-RSA-DES-CBC3-SHA", tls.TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA},
	{"DES-CBC3-SHA", tls.TLS_RSA_WITH_3DES_EDE_CBC_SHA},
}

// tlsCipherGroup reports whether keyword (an OpenSSL cipher-string alias)
// selects the named cipher; known is false for an unknown keyword.
func tlsCipherGroup(keyword, name string) (sel, known bool) {
	has := func(s string) bool { return strings.Contains(name, s) }
	weak := has("DES-CBC3")
	switch keyword {
	case "ALL", "DEFAULT", "COMPLEMENTOFNONE":
		return true, true
	case "HIGH":
		return !weak, true
	case "MEDIUM", "LOW", "EXPORT", "eNULL", "NULL", "aNULL", "COMPLEMENTOFALL", "COMPLEMENTOFDEFAULT":
		return keyword == "MEDIUM" && weak, true
	case "ECDHE", "EECDH", "kECDHE", "kEECDH":
		return has("ECDHE"), true
	case "kRSA", "RSA":
		return !has("ECDHE"), true
	case "aRSA":
		return !has("ECDSA"), true
	case "aECDSA", "ECDSA":
		return has("ECDSA"), true
	case "AES":
		return has("AES"), true
	case "AESGCM":
		return has("GCM"), true
	case "AES128":
		return has("AES128"), true
	case "AES256":
		return has("AES256"), true
	case "CHACHA20":
		return has("CHACHA20"), true
	case "3DES":
		return weak, true
	case "SHA", "SHA1":
		return strings.HasSuffix(name, "-SHA"), true
	case "SHA256":
		return strings.HasSuffix(name, "SHA256"), true
	case "SHA384":
		return strings.HasSuffix(name, "SHA384"), true
	case "TLSv1.2":
		return true, true
	}
	return false, false
}

// parseTLSCiphers turns an OpenSSL cipher string (tls-ciphers) into Go's
// suite list. Like OpenSSL, unknown names are skipped and the string is
// refused only when nothing is left. Empty means Go's defaults.
func parseTLSCiphers(v string) ([]uint16, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	var order []string
	banned := map[string]bool{}
	in := map[string]bool{}
	for _, tok := range strings.FieldsFunc(v, func(r rune) bool { return r == ':' || r == ',' || r == ' ' }) {
		op := byte(0)
		if tok[0] == '!' || tok[0] == '-' || tok[0] == '+' {
			op, tok = tok[0], tok[1:]
		}
		if strings.HasPrefix(tok, "@") {
			continue // @STRENGTH, @SECLEVEL=n
		}
		var matched []string
		for _, parts := range [][]string{strings.Split(tok, "+")} {
			for _, c := range tlsCipherNames {
				ok := true
				for _, p := range parts {
					if p == c.name {
						continue
					}
					sel, _ := tlsCipherGroup(p, c.name)
					if !sel {
						ok = false
						break
					}
				}
				if ok {
					matched = append(matched, c.name)
				}
			}
		}
		for _, n := range matched {
			switch op {
			case '!':
				banned[n] = true
				in[n] = false
			case '-':
				in[n] = false
			case '+':
				// reordering only
			default:
				if !banned[n] && !in[n] {
					in[n] = true
					order = append(order, n)
				}
			}
		}
	}
	var out []uint16
	for _, n := range order {
		if !in[n] {
			continue
		}
		for _, c := range tlsCipherNames {
			if c.name == n {
				out = append(out, c.id)
			}
		}
	}
	if len(out) == 0 {
		return nil, errors.New("Failed to configure ciphers: " + v)
	}
	return out, nil
}

// tlsSuites13 are the TLS 1.3 suite names OpenSSL knows. Go chooses TLS 1.3
// suites itself, so tls-ciphersuites is validated only.
var tlsSuites13 = map[string]bool{
	"TLS_AES_128_GCM_SHA256": true, "TLS_AES_256_GCM_SHA384": true,
	"TLS_CHACHA20_POLY1305_SHA256": true, "TLS_AES_128_CCM_SHA256": true,
	"TLS_AES_128_CCM_8_SHA256": true,
}

// checkTLSCiphersuites refuses a tls-ciphersuites value naming no known
// TLS 1.3 suite, as OpenSSL does.
func checkTLSCiphersuites(v string) error {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	for _, n := range strings.Split(v, ":") {
		if tlsSuites13[strings.TrimSpace(n)] {
			return nil
		}
	}
	return errors.New("Failed to configure ciphersuites: " + v)
}
