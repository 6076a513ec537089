# Build options; each one is a cache variable so CI and developers can flip it.
option(ZKAGENT_BUILD_TESTS "Build the test suite" ON)
option(ZKAGENT_STATIC "Link the zkagent executable fully statically" ON)
option(ZKAGENT_WERROR "Treat warnings as errors" ${PROJECT_IS_TOP_LEVEL})
