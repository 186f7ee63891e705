/* Test shim for Wine 8 (Debian 12), which lacks bcryptprimitives.dll:
 * Go >= 1.22 asks Windows for randomness through its ProcessPrng, present
 * on every Windows 10 and later. This shim answers with RtlGenRandom
 * (advapi32's SystemFunction036), which Wine has. It is installed into the
 * throw-away Wine prefix of wine-test.sh only; it never ships. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
