#include "runner/cli/app.h"

int main(int argc, char** argv) { return proclab::cli::Main(argc, argv); }
