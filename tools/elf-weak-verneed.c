/* Marks one symbol-version requirement of an ELF64 shared library as weak (VER_FLG_WEAK), so that the dynamic
 * loader accepts a libstdc++ that lacks that version. Used by fix-libtorchsharp.sh; see there for why.
 * usage: elf-weak-verneed FILE VERSION   (exit 0 = patched or already weak, 1 = not found, 2 = bad file) */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s FILE VERSION\n", argv[0]); return 2; }
    FILE *f = fopen(argv[1], "r+b");
    if (!f) { perror(argv[1]); return 2; }
    fseek(f, 0, SEEK_END); long size = ftell(f); fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)size);
    if (!b || fread(b, 1, (size_t)size, f) != (size_t)size) { fprintf(stderr, "%s: read failed\n", argv[1]); return 2; }
    Elf64_Ehdr *eh = (Elf64_Ehdr *)b;
    if (size < (long)sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64) {
        fprintf(stderr, "%s: not an ELF64 file\n", argv[1]); return 2;
    }
    Elf64_Shdr *sh = (Elf64_Shdr *)(b + eh->e_shoff);
    int found = 0;
    for (int i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_type != SHT_GNU_verneed) continue;
        const char *strtab = (const char *)(b + sh[sh[i].sh_link].sh_offset);
        unsigned char *p = b + sh[i].sh_offset;
        for (;;) {
            Elf64_Verneed *vn = (Elf64_Verneed *)p;
            unsigned char *a = p + vn->vn_aux;
            for (int k = 0; k < vn->vn_cnt; k++) {
                Elf64_Vernaux *aux = (Elf64_Vernaux *)a;
                if (strcmp(strtab + aux->vna_name, argv[2]) == 0) { aux->vna_flags |= VER_FLG_WEAK; found = 1; }
                a += aux->vna_next;
            }
            if (!vn->vn_next) break;
            p += vn->vn_next;
        }
    }
    if (!found) { fprintf(stderr, "%s: no version need %s\n", argv[1], argv[2]); return 1; }
    fseek(f, 0, SEEK_SET);
    if (fwrite(b, 1, (size_t)size, f) != (size_t)size || fclose(f) != 0) { fprintf(stderr, "%s: write failed\n", argv[1]); return 2; }
    return 0;
}
