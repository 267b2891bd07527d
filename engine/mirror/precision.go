package mirror

import "time"

// File system magic numbers (statfs f_type) of the FAT family.
const (
	msdosMagic = 0x4d44     // vfat, msdos
	exfatMagic = 0x2011bab0 // exfat
)

// precisionOf is how finely a file system of this type keeps times: FAT
// and exFAT (USB sticks, SD cards) two seconds, others a nanosecond.
func precisionOf(fsType int64) time.Duration {
	switch fsType {
	case msdosMagic, exfatMagic:
		return PrecisionFAT
	}
	return PrecisionLocal
}
