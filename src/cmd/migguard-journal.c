#include "cli.h"

int main(int argc, char **argv)
{
	return mg_cli_check_main(argc, argv, "migguard-journal", MG_CHECK_JOURNAL);
}
