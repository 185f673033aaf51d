/* The program that the process-creation benchmarks execute: it only
 * exits, so that what is measured is the kernel's work. */
int main(void)
{
    return 0;
}
