#include <stdio.h>

int main(void)
{
	fputs("migguard-apply: error: not implemented yet\n", stderr);
	return 2;
}
