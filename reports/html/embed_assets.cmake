# Writes OUT: one C++ raw string constant per asset, for page_assets.cc.
# cmake -DCSS=... -DJS=... -DOUT=... -P embed_assets.cmake
file(READ ${CSS} css)
file(READ ${JS} js)
foreach(text css js)
  string(FIND "${${text}}" ")PROCLAB_ASSET\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "an asset contains the raw string's delimiter")
  endif()
endforeach()
file(WRITE ${OUT}.tmp
  "const char* const kPageCss = R\"PROCLAB_ASSET(${css})PROCLAB_ASSET\";\n"
  "const char* const kPageJs = R\"PROCLAB_ASSET(${js})PROCLAB_ASSET\";\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
