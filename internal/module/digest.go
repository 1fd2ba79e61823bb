package module

import "crypto/sha1"

// mixDigest is Redis's mixDigest: digest = SHA1(digest xor SHA1(b)).
func mixDigest(digest *[20]byte, b []byte) {
	h := sha1.Sum(b)
	for i := range digest {
		digest[i] ^= h[i]
	}
	*digest = sha1.Sum(digest[:])
}
