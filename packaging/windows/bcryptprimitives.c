/*
 * bcryptprimitives.c — a test-harness stand-in for Windows'
 * bcryptprimitives.dll, for Wine only. Go 1.22 and later load that DLL from
 * system32 and call ProcessPrng for random bytes; Wine 8.0 (Debian 12) has no
 * such export, so every Go program dies at start with "bcryptprimitives.dll
 * not found". scripts/wine-prefix.sh builds this with the mingw-w64 compiler
 * and puts it in the test prefix's system32. Real Windows has the DLL; this
 * file is never shipped.
 */
#include <windows.h>

/* RtlGenRandom is exported by advapi32 as SystemFunction036. */
BOOLEAN WINAPI SystemFunction036(PVOID buf, ULONG len);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
