package sftp

import (
	"golang.org/x/crypto/ssh"
	"golang.org/x/sys/cpu"
)

// preferredCiphers is the client's cipher order. With AES instructions
// (AES-NI with carry-less multiply, or the ARMv8 crypto extensions)
// AES-GCM is the fastest and is offered first; without them ChaCha20-Poly1305
// is, as OpenSSH orders it. CTR modes (with a MAC) stay for old servers.
func preferredCiphers() []string {
	gcm := []string{ssh.CipherAES128GCM, ssh.CipherAES256GCM}
	chacha := []string{ssh.CipherChaCha20Poly1305}
	ctr := []string{ssh.CipherAES128CTR, ssh.CipherAES192CTR, ssh.CipherAES256CTR}
	if hasAES() {
		return append(append(gcm, chacha...), ctr...)
	}
	return append(append(chacha, gcm...), ctr...)
}

func hasAES() bool {
	return cpu.X86.HasAES && cpu.X86.HasPCLMULQDQ || cpu.ARM64.HasAES && cpu.ARM64.HasPMULL || cpu.S390X.HasAES
}
