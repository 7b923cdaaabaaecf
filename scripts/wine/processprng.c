/* bcryptprimitives.dll for Wine 8, which lacks ProcessPrng: Go 1.22 and
 * newer call it for every random number on Windows 10 and later. Test
 * machinery only (scripts/wine/prefix.sh puts it into the Wine prefix);
 * real Windows has its own. It forwards to RtlGenRandom (advapi32's
 * SystemFunction036), which Wine has. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
