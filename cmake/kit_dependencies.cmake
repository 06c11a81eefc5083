# The libraries src/kit links, found once for both builds that compile it: the project's
# own (CMakeLists.txt) and the fuzz build (cmake/fuzz.cmake).
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
find_package(SQLite3 REQUIRED)
# MariaDB Connector/C (Debian libmariadb-dev): the MySQL driver of kit/db.
pkg_check_modules(MARIADB REQUIRED IMPORTED_TARGET libmariadb)
find_package(fmt CONFIG REQUIRED)
find_package(spdlog CONFIG REQUIRED)
find_package(yaml-cpp CONFIG REQUIRED)
find_package(Boost 1.74 REQUIRED)  # header-only: Beast and Asio
