#include <stdio.h>

int main(void)
{
	puts("migguard " MIGGUARD_VERSION);
	return 0;
}
