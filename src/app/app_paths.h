/* app_paths.h: where the app's own files are.
 *
 * The bundled content is found relative to the binary, never the current folder, so the app works
 * however it is started (a desktop launcher, a systemd unit, a terminal anywhere). An installed
 * binary looks in <bindir>/../share/blue-align; a binary in the build tree uses the source tree.
 */
#ifndef BA_APP_PATHS_H
#define BA_APP_PATHS_H

/* The folder holding the running binary, with a trailing '/', malloc'd; NULL if unknown. */
char *app_binary_dir(void);

/* The installed or source-tree folder `name` ("content", "assets/icons"), malloc'd; NULL if absent. */
char *app_data_dir(const char *name);

/* The bundled content folder, malloc'd; NULL when none is found. */
char *app_bundled_content_dir(void);

/* assets/<name>, malloc'd; NULL when none is found. */
char *app_assets_dir(const char *name);

/* The user's documents folder, where files for people (the history for a practitioner) are saved: the
 * XDG user-dirs setting ($XDG_CONFIG_HOME/user-dirs.dirs, XDG_DOCUMENTS_DIR), else ~/Documents when it
 * exists, else the home folder. Malloc'd, no trailing '/'; NULL only without a home folder. */
char *app_documents_dir(void);

#endif
