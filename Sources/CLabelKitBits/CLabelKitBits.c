#include "CLabelKitBits.h"
