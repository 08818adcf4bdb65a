#ifndef STRATA_CMULTIBYTE_H
#define STRATA_CMULTIBYTE_H

#include <stddef.h>
#include <wchar.h>

/// Turns on the ASCII fast path of strata's `mbrtowc` (see mbrtowc.c) when the locale's
/// character set is one where every ASCII byte is the wide character of the same value (UTF-8
/// or ASCII, the two locales strata runs in). Call after `setlocale`. Returns 1 when it is on.
int strata_multibyte_enable_ascii_fast_path(void);

/// glibc's own `mbrtowc`, past strata's fast path (for tests that compare the two).
size_t strata_multibyte_system_mbrtowc(wchar_t *pwc, const char *s, size_t n, mbstate_t *ps);

#endif
