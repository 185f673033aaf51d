/*
 * Entropy for the hosted target (<frame/random.h>): the host kernel's
 * getrandom(2); if it fails, the host's clocks mixed, reported as -EIO.
 */
#include "hosted.h"
#include <frame/random.h>
#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

/* fr_entropy_read - see <frame/random.h>. */
int fr_entropy_read(void *buf, size_t len)
{
	uint8_t *out = buf;
	size_t done = 0;

	while (done < len) {
		ssize_t n = getrandom(out + done, len - done, 0);

		if (n > 0) {
			done += (size_t)n;
		} else if (n < 0 && errno != EINTR) {
			break;
		}
	}
	if (done == len)
		return 0;
	for (; done < len; done++) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		out[done] = (uint8_t)(ts.tv_nsec ^ (ts.tv_nsec >> 8) ^ done);
	}
	return -EIO;
}
