// Placeholder until the server lands: the real main parses flags and config.
int main() { return 0; }
